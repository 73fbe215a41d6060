// llm_replay_server — a loopback chat-completions endpoint that records the requests it cannot
// answer and replays answers recorded for them (llm_replay.h), for bench/llm_replay.sh.
//
//   llm_replay_server --record requests.jsonl [--answers answers.jsonl] [--port N]
//
// prints its base URL (http://127.0.0.1:PORT) on the first line, then serves until stdin
// closes, and says on stderr how many requests it answered, recorded and refused. A bad answers
// file or an unusable record file or port is one line on stderr and exit code 2.
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "base/error.h"
#include "fake_llm.h"
#include "llm_replay.h"

namespace {

constexpr const char* kUsage =
    "usage: llm_replay_server --record REQUESTS.jsonl [--answers ANSWERS.jsonl] [--port N]\n";

}  // namespace

int main(int argc, char** argv) {
  std::string answers_path, record_path;
  int port = 0;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc || (flag != "--answers" && flag != "--record" && flag != "--port")) {
      std::cerr << kUsage;
      return 2;
    }
    std::string value = argv[++i];
    if (flag == "--answers") answers_path = value;
    if (flag == "--record") record_path = value;
    if (flag == "--port") port = std::atoi(value.c_str());
  }
  if (record_path.empty() || port < 0 || port > 65535) {
    std::cerr << kUsage;
    return 2;
  }
  try {
    using namespace firstmile::testing;
    std::map<std::string, ReplayAnswer> answers;
    if (!answers_path.empty()) answers = read_replay_answers(answers_path);
    LlmReplay replay(std::move(answers), record_path);
    FakeLlm server(port);
    server.keep_requests(false);
    server.set_responder([&replay](const nlohmann::json& request) { return replay.respond(request); });
    std::cout << server.url() << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {}
    ReplayCounts c = replay.counts();
    std::cerr << "llm_replay_server: " << c.answered << " requests answered, " << c.unanswered << " without an answer ("
              << c.recorded << " new keys recorded in " << record_path << "), " << c.refused << " refused\n";
  } catch (const std::exception& e) {
    std::cerr << "llm_replay_server: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
