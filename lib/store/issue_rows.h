// store/issue_rows.h — what the offline importers ask of the issues and comments tables
// beyond Store's upserts.
//
//   if (!issue_has_text(store, repo, 306)) ...the comment's issue is only a placeholder...
//   summary.deleted_comments += delete_comment(store, 1234567);   // a "deleted" comment event
//   int64_t before = issue_count(store);
#pragma once

#include <cstdint>

namespace firstmile {

class Store;

// Whether the issue is stored with its text (a title), not only as a placeholder.
bool issue_has_text(Store& store, int64_t repository_id, int64_t number);

// Removes the comment with this GitHub id; the number of rows removed (0 or 1).
int64_t delete_comment(Store& store, int64_t github_id);

// Every issue row, placeholders included.
int64_t issue_count(Store& store);

}  // namespace firstmile
