// gharchive_fixture.cpp — events as nlohmann::json dumps them, gzip through zlib.
#include "gharchive_fixture.h"

#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdio>

#include "store/store.h"
#include "support/files.h"

namespace firstmile::testing {

using nlohmann::json;

const std::string kPush =
    R"({"id":"2","type":"PushEvent","actor":{"login":"x"},"repo":{"id":1,"name":"a/b"},"payload":{"commits":[]}})"
    "\n";
const std::string kWatch =
    R"({"id":"3","type":"WatchEvent","actor":{"login":"y"},"repo":{"id":2,"name":"c/d"},"payload":{"action":"started"}})"
    "\n";

Preset gharchive_preset() { return load_preset(source_file("data/presets/open-llm-failures.json").string()); }

json issue(int64_t number, const std::string& updated_at, const std::string& title) {
  return {{"id", 1000 + number},
          {"number", number},
          {"title", title},
          {"body", "Traceback (most recent call last):\n  ..."},
          {"state", "open"},
          {"user", {{"login", "alice"}, {"type", "User"}}},
          {"labels", json::array({{{"name", "bug"}}})},
          {"comments", 0},
          {"created_at", "2024-05-01T10:00:00Z"},
          {"updated_at", updated_at}};
}

json comment(int64_t id, const std::string& body, const std::string& updated_at) {
  return {{"id", id},
          {"body", body},
          {"user", {{"login", "bob"}}},
          {"created_at", "2024-05-01T11:00:00Z"},
          {"updated_at", updated_at}};
}

std::string event(const std::string& type, const std::string& repo, const json& payload) {
  json e = {{"id", "26000000001"},
            {"type", type},
            {"actor", {{"id", 1}, {"login", "alice"}}},
            {"repo", {{"id", 7}, {"name", repo}, {"url", "https://api.github.com/repos/" + repo}}},
            {"payload", payload},
            {"public", true},
            {"created_at", "2024-05-01T12:00:00Z"}};
  return e.dump() + "\n";
}

std::string issues_event(const std::string& repo, const json& issue_object, const std::string& action) {
  return event("IssuesEvent", repo, {{"action", action}, {"issue", issue_object}});
}

std::string comment_event(const std::string& repo, const json& issue_object, const json& comment_object,
                          const std::string& action) {
  return event("IssueCommentEvent", repo, {{"action", action}, {"issue", issue_object}, {"comment", comment_object}});
}

void write_gzip(const std::filesystem::path& path, const std::vector<std::string>& members, int level) {
  std::filesystem::remove(path);
  const std::string mode = level < 0 ? "ab" : "ab" + std::to_string(level);
  for (const std::string& m : members) {
    gzFile f = gzopen(path.c_str(), mode.c_str());
    REQUIRE(f != nullptr);
    REQUIRE(gzwrite(f, m.data(), static_cast<unsigned>(m.size())) == static_cast<int>(m.size()));
    REQUIRE(gzclose(f) == Z_OK);
  }
}

namespace {

// A deterministic stream of numbers below n (a linear congruential generator).
class Dice {
 public:
  uint64_t operator()(uint64_t n) {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return (state_ >> 33) % n;
  }

 private:
  uint64_t state_ = 42;
};

}  // namespace

std::vector<std::string> storm_lines() {
  Dice next;
  const std::vector<std::string> repos = {"QwenLM/Qwen2.5", "o/r", "deepseek-ai/DeepSeek-V3"};
  const std::vector<std::string> texts = {"Traceback:\n  File \"x.py\", line 1\n\tKeyError: 'a\\b'",
                                          "显存不足，模型加载失败。",
                                          "emoji \xF0\x9F\x98\x80 and a tab\t and a /slash/", "plain words here"};
  std::vector<std::string> lines;
  std::vector<int64_t> comment_ids;
  for (int i = 0; i < 4000; ++i) {
    if (next(10) == 0) {
      lines.push_back(i % 2 ? kPush : kWatch);
      continue;
    }
    int64_t number = 1 + static_cast<int64_t>(next(40));
    const std::string& repo = repos[static_cast<size_t>(number % 3)];
    // Mostly newer as the file goes on; sometimes an hour older, sometimes the same second.
    int64_t minute = 120 + i / 10 - static_cast<int64_t>(next(4) == 0 ? 60 : 0);  // never before midnight
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "2024-05-%02d T%02d:%02d:00Z", 1 + static_cast<int>(minute / 1440 % 28),
                  static_cast<int>(minute / 60 % 24), static_cast<int>(minute % 60));
    std::string updated = stamp;
    updated.erase(10, 1);
    json object = issue(number, updated, "title " + std::to_string(next(3)) + " " + texts[next(texts.size())]);
    std::string body;
    for (uint64_t k = 0, n = 1 + next(60); k < n; ++k) body += texts[next(texts.size())] + " ";
    object["body"] = next(12) == 0 ? json(nullptr) : json(body);
    object["labels"] = json::array();
    for (uint64_t k = 0, n = next(3); k < n; ++k)
      object["labels"].push_back({{"name", "label" + std::to_string(next(5))}});
    if (number % 7 == 0) object["pull_request"] = {{"url", "x"}};
    if (next(2)) object["html_url"] = "https://github.com/" + repo + "/issues/" + std::to_string(number);
    // Reactions on some snapshots, derived from i so the dice's sequence stays as it was:
    // all kinds, some kinds without a total (the sum is taken), none.
    auto reactions = [&](int salt) {
      json r = {{"url", "https://api.github.com/repos/" + repo + "/issues/" + std::to_string(number) + "/reactions"}};
      for (int k = 0; k < 8; ++k) {
        if ((i + salt + k) % 3 != 0) r[Reactions::kKinds[k]] = (i * (k + 1) + salt) % 7;
      }
      if ((i + salt) % 4 != 1) r["total_count"] = (i + salt) % 11;
      return r;
    };
    if (i % 3 != 2) object["reactions"] = reactions(0);
    std::string line;
    if (next(3) == 0) {
      line = issues_event(repo, object, next(2) ? "edited" : "closed");
    } else {
      int64_t id;
      std::string action = "created";
      if (!comment_ids.empty() && next(4) == 0) {
        id = comment_ids[next(comment_ids.size())];
        action = next(3) == 0 ? "deleted" : "edited";
      } else {
        id = 5000 + i;
        comment_ids.push_back(id);
      }
      size_t cut = next(body.size() + 1);
      while (cut < body.size() && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;  // whole characters
      json c = comment(id, next(10) == 0 ? "" : body.substr(0, cut), updated);
      if (next(8) == 0) c["body"] = nullptr;
      if (i % 5 != 0) c["reactions"] = reactions(1);
      line = comment_event(repo, object, c, action);
    }
    if (next(5) == 0) {  // BigQuery's shape: the payload as a string of JSON
      json e = json::parse(line);
      e["payload"] = e["payload"].dump();
      line = e.dump() + "\n";
    }
    lines.push_back(line);
  }
  return lines;
}

}  // namespace firstmile::testing
