// support/labelled_store.h — an in-memory store with one repository (o/r) and labels written
// by hand, for tests whose expected values are worked out from the labels.
//
//   LabelledStore s;                                    // under the tiny taxonomy
//   Annotation a = s.annotation(3, "gold:tiny");        // o/r#3, is_failure 1
//   a.symptom = "sym.crash.oom";
//   s.store.upsert_annotation(a);
#pragma once

#include <string>

#include "store/store.h"
#include "support/taxonomies.h"

namespace firstmile::testing {

struct LabelledStore {
  explicit LabelledStore(const char* taxonomy_json = kTinyTaxonomy)
      : taxonomy(Taxonomy::parse(taxonomy_json, "test-taxonomy.json")) {}

  Store store = Store::open_memory();
  Taxonomy taxonomy;
  int64_t repository =
      store.upsert_repository({.owner = "o", .name = "r", .series = "S", .model = "m", .architecture = "Dense"});

  // o/r#number, created without text when new.
  int64_t issue(int64_t number) {
    return store.ensure_issue(repository, number, "https://github.com/o/r/issues/" + std::to_string(number));
  }
  // An annotation of o/r#number by `source` under the store's taxonomy, a failure, no labels yet.
  Annotation annotation(int64_t number, const std::string& source) {
    Annotation a;
    a.issue_id = issue(number);
    a.source = source;
    a.taxonomy = taxonomy.id();
    a.is_failure = 1;
    return a;
  }
};

}  // namespace firstmile::testing
