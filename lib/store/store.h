// store/store.h — the firstmile database: repositories, issues, annotations and runs.
//
//   Store store = Store::open("firstmile.db");          // creates and migrates if needed
//   int64_t run = store.begin_run("import-dataset", argv, &taxonomy);
//   int64_t repo = store.upsert_repository({.owner = "QwenLM", .name = "Qwen2.5", .series = "Qwen"});
//   int64_t issue = store.ensure_issue(repo, 306, "https://github.com/QwenLM/Qwen2.5/issues/306");
//   store.upsert_annotation({.issue_id = issue, .source = "gold:open-llm-failures", ...});
//   for (const AnnotationGroup& g : store.annotation_groups({.source = "gold"})) ...
//
// Writes are the caller's to group: wrap a unit of work in a Transaction on store.db() so a
// failure leaves the database as it was. Tables are documented in docs/schema.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "taxonomy/taxonomy.h"

namespace firstmile {

struct RepositoryInfo {
  std::string owner;
  std::string name;
  std::string series;  // empty: leave as is
  std::string model;
  std::string architecture;
};

// The reactions GitHub counts on an issue or a comment ("reactions": {"+1": 3, ...}). Kinds
// are in GitHub's order; total is GitHub's total_count (the kinds' sum when it is not given).
struct Reactions {
  static constexpr const char* kKinds[8] = {"+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"};
  int64_t counts[8] = {};
  int64_t total = 0;
  // {"+1":3,"-1":0,...,"total_count":3}: the column `reactions` holds this text.
  std::string json() const;
};

// An issue's text and metadata as GitHub gives them (REST, GH Archive or an export).
struct IssueData {
  int64_t repository_id = 0;
  int64_t number = 0;
  std::optional<int64_t> github_id;
  std::optional<std::string> title, body, state, state_reason, author, author_association;
  std::optional<std::string> created_at, updated_at, closed_at;  // ISO 8601
  std::vector<std::string> labels;
  std::optional<int64_t> comments_count;
  bool is_pull_request = false;
  std::string url;                       // html_url
  std::optional<Reactions> reactions{};  // unknown when the source did not carry them
};

// An issue's text as classifiers read it.
struct IssueText {
  int64_t id = 0;
  std::string title, body, url;
  std::vector<std::string> comments;  // bodies, oldest first
};

struct CommentData {
  int64_t github_id = 0;
  std::optional<std::string> author, author_association, body, created_at, updated_at, url;
  std::optional<Reactions> reactions{};
};

// What an upsert did.
enum class UpsertResult { kInserted, kUpdated, kUnchanged, kOlder };

// Counts of what upserts did, as importers report them.
struct UpsertCounts {
  int64_t& inserted;
  int64_t& updated;
  int64_t& unchanged;
  int64_t& older;
  void add(UpsertResult r) {
    switch (r) {
      case UpsertResult::kInserted: ++inserted; break;
      case UpsertResult::kUpdated: ++updated; break;
      case UpsertResult::kUnchanged: ++unchanged; break;
      case UpsertResult::kOlder: ++older; break;
    }
  }
};

struct Annotation {
  int64_t issue_id = 0;
  int failure_index = 1;
  std::string source;    // 'gold:NAME', 'rules', 'llm:MODEL', 'manual:NAME'
  std::string taxonomy;  // taxonomy id the node ids belong to
  std::optional<int> is_failure;
  std::optional<std::string> symptom, root_cause, stage;                    // node ids
  std::optional<std::string> symptom_label, root_cause_label, stage_label;  // as given
  bool mapped = true;
  std::optional<double> confidence;
  bool needs_review = false;
  std::string evidence = "{}";  // JSON
  std::optional<int64_t> run_id;
};

// Which annotations to count, filtered in SQL. Series and models match case-insensitively;
// since/until bound the issue's creation time (ISO 8601; a date prefix bounds whole days;
// issues without a creation time are left out when either bound is given).
//
// `source` is a selector: 'gold', 'rules', 'llm' or 'manual' match every source of that kind
// ('gold:open-llm-failures', 'llm:qwen2.5-7b'); anything else must match a source exactly.
//
// `incidents` names an aggregation (`firstmile aggregate`) to count by incident instead of by
// report: one storm of reports then weighs as much as one report (see annotation_groups).
struct AnnotationQuery {
  std::string source;
  std::vector<std::string> series, models;
  std::string since, until;
  std::string incidents;  // aggregation name; empty: count by report
};

// Annotations that share every label and attribute, counted together. Analyses read these
// instead of single rows: a million annotations fold into a few thousand groups.
struct AnnotationGroup {
  std::string taxonomy, series, model;
  std::string symptom, root_cause, stage;  // node ids; empty when not set
  bool mapped = true;
  int64_t count = 0;
};

// Reactions on the issues an AnnotationQuery selects (each issue once) and on their comments.
struct ReactionTotals {
  int64_t issues = 0;                 // distinct issues selected
  int64_t issues_with_reactions = 0;  // of those, whose reactions are known
  int64_t issue_reactions = 0;        // their total_count summed
  int64_t comment_reactions = 0;      // on their comments
};

struct AnnotationGroups {
  std::vector<AnnotationGroup> groups;
  int64_t issues = 0;  // distinct issues among the annotations counted
  // Counting by incident: the incidents counted, a report in none counting as its own, and
  // how many of them are stored incidents (two or more reports).
  int64_t incidents = 0;
  int64_t multi_report_incidents = 0;
};

// Keeps annotations by the stage they were labelled with (taxonomy id, stage node id).
using StageFilter = std::function<bool(const std::string& taxonomy, const std::string& stage)>;

struct SourceCount {
  std::string source;
  int64_t annotations = 0;
};

// A command that may create the database undoes that when it fails: declared before the Store,
// it removes the database file (and its -wal, -shm and -journal files) when it goes out of
// scope while an exception unwinds, if the file did not exist when it was made. For commands
// whose whole work is one transaction; a resumable one keeps what it committed.
//
//   RemoveNewDatabaseOnFailure undo(g->db);
//   Store store = Store::open(g->db);
class RemoveNewDatabaseOnFailure {
 public:
  explicit RemoveNewDatabaseOnFailure(std::filesystem::path path);
  ~RemoveNewDatabaseOnFailure();
  RemoveNewDatabaseOnFailure(const RemoveNewDatabaseOnFailure&) = delete;
  RemoveNewDatabaseOnFailure& operator=(const RemoveNewDatabaseOnFailure&) = delete;

 private:
  std::filesystem::path path_;
  bool existed_ = false;
  int exceptions_ = 0;
};

class Store {
 public:
  static Store open(const std::filesystem::path& path, Database::Mode mode = Database::kCreate);
  static Store open_memory();

  Database& db() { return db_; }

  // Runs: every command that writes records one, for provenance.
  int64_t begin_run(const std::string& command, const std::vector<std::string>& argv, const Taxonomy* taxonomy);
  void finish_run(int64_t run_id, const std::string& status, const std::string& summary_json);

  // Copies the taxonomy's nodes in (replacing an earlier copy of the same id).
  void save_taxonomy(const Taxonomy& taxonomy);
  // The copy saved under `id`, as it was when labels were made with it.
  std::optional<Taxonomy> load_taxonomy(const std::string& id);

  // Inserts the repository or finds it (by name or alias); non-empty fields overwrite.
  int64_t upsert_repository(const RepositoryInfo& info);
  std::optional<int64_t> find_repository(const std::string& owner, const std::string& name);
  void add_repository_alias(int64_t repository_id, const std::string& owner, const std::string& name,
                            const std::string& reason);

  // The issue's id, if the database knows it (with or without its text).
  std::optional<int64_t> find_issue(int64_t repository_id, int64_t number);
  // By repository name (or an alias of it) and number.
  std::optional<int64_t> find_issue(const std::string& owner, const std::string& name, int64_t number);
  // Title, body (empty when none), URL and comments; nullopt for an issue without text (a
  // placeholder to be mined) or no such issue.
  std::optional<IssueText> issue_text(int64_t issue_id);
  // Finds the issue or inserts a placeholder without text (to be mined later).
  int64_t ensure_issue(int64_t repository_id, int64_t number, const std::string& url);
  // Writes an issue's text; an existing issue is updated unless the incoming copy is older
  // (its updated_at before the stored one), so replaying an old export never undoes a newer one.
  std::pair<int64_t, UpsertResult> upsert_issue(const IssueData& issue);
  UpsertResult upsert_comment(int64_t issue_id, const CommentData& comment);
  // Sets the state of an issue whose state is not known yet.
  void set_issue_state_if_unknown(int64_t issue_id, const std::string& state);

  // Inserts or updates by (issue, source, failure index); returns the annotation id.
  int64_t upsert_annotation(const Annotation& annotation);

  std::vector<SourceCount> sources();
  // The one source a selector means when the user gave none: the gold source if there is
  // exactly one, else the only source. Throws Error listing the sources otherwise.
  std::string default_source();
  // The selected annotations in groups, in a stable order; `keep_stage`, when given, drops
  // annotations (and their issues) by stage.
  //
  // With query.incidents, the annotations of an incident's members (those selected) fold into
  // one vote: the incident adds a count of 1 to the label combination most common among them
  // (ties: the smallest taxonomy, symptom, root cause, stage ids), under the repository most
  // common among those annotations (ties: the oldest repository). Reports in no incident count
  // as under the report unit, once per failure. Throws Error for an unknown aggregation.
  AnnotationGroups annotation_groups(const AnnotationQuery& query, const StageFilter& keep_stage = nullptr);

  // Reactions on the issues `query` selects (its `incidents` is ignored) and their comments.
  ReactionTotals reaction_totals(const AnnotationQuery& query);

  // Names of the aggregations written by `firstmile aggregate`, sorted.
  std::vector<std::string> aggregation_names();

 private:
  explicit Store(Database db) : db_(std::move(db)) {}
  Database db_;
};

// Whether `source` is selected by `selector` (see AnnotationQuery).
bool source_matches(const std::string& selector, const std::string& source);

}  // namespace firstmile
