// fake_github_server — the loopback GitHub server as a program, for bench/mine_requests.sh.
//
//   fake_github_server OWNER/NAME ISSUES COMMENTS [SEED]
// prints its URL on the first line, then serves until stdin closes. GET /_stats returns the
// requests counted since the last /_stats (and resets the count).
#include <cstdlib>
#include <iostream>
#include <string>

#include "fake_github.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: fake_github_server OWNER/NAME ISSUES COMMENTS [SEED]\n";
    return 2;
  }
  std::string full = argv[1];
  auto slash = full.find('/');
  if (slash == std::string::npos) return 2;
  firstmile::testing::FakeGithub server;
  server.add(firstmile::testing::make_repository(full.substr(0, slash), full.substr(slash + 1), std::atoi(argv[2]),
                                                 std::atoi(argv[3]),
                                                 argc > 4 ? static_cast<uint32_t>(std::atoi(argv[4])) : 1));
  std::cout << server.url() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {}
  return 0;
}
