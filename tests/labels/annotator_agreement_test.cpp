// Tests of classify/annotator_agreement.h; expected values computed by hand in the comments.
#include <doctest/doctest.h>

#include "base/error.h"
#include "labels/annotator_agreement.h"
#include "store/store.h"
#include "support/labelled_store.h"

using namespace firstmile;

namespace {

const char* kTaxonomy = R"({"taxonomy": "tiny", "version": "1",
  "dimensions": [{"id": "symptom", "levels": 1}, {"id": "root_cause", "levels": 1}, {"id": "stage", "levels": 1}],
  "nodes": [{"id": "crash", "dimension": "symptom", "name": "Crash"},
            {"id": "hang", "dimension": "symptom", "name": "Hang"},
            {"id": "slow", "dimension": "symptom", "name": "Slow"},
            {"id": "env", "dimension": "root_cause", "name": "Environment"},
            {"id": "infer", "dimension": "stage", "name": "Inference"}]})";

struct Fixture : firstmile::testing::LabelledStore {
  Fixture() : LabelledStore(kTaxonomy) {}

  void labels(const std::string& source, const std::vector<std::string>& symptoms) {
    for (size_t i = 0; i < symptoms.size(); ++i) {
      if (symptoms[i].empty()) continue;
      Annotation a = annotation(static_cast<int64_t>(i + 1), source);
      a.symptom = symptoms[i];
      store.upsert_annotation(a);
    }
  }
  AnnotatorAgreement run(const std::vector<std::string>& sources) {
    return annotator_agreement(store, taxonomy, direct_resolver(taxonomy), sources);
  }
};

const LevelAgreement& symptom(const AnnotatorAgreement& a) {
  for (const LevelAgreement& l : a.levels) {
    if (l.dimension == "symptom") return l;
  }
  throw Error("no symptom row");
}

}  // namespace

TEST_CASE("two sources get Cohen's kappa and raw agreement over the issues both labelled") {
  Fixture f;
  f.labels("manual:a", {"crash", "crash", "hang", "slow", "slow"});
  f.labels("manual:b", {"crash", "hang", "hang", "slow"});
  AnnotatorAgreement a = f.run({"manual:a", "manual:b"});
  CHECK(a.issues_all == 4);
  const LevelAgreement& s = symptom(a);
  CHECK(s.items == 4);
  // p_o = 3/4; p_e = 1/2*1/4 + 1/4*1/2 + 1/4*1/4 = 5/16; kappa = (3/4 - 5/16) / (11/16) = 7/11.
  CHECK(s.raw_agreement() == doctest::Approx(0.75));
  CHECK(s.cohen.kappa == doctest::Approx(7.0 / 11));
}

TEST_CASE("three sources get Fleiss' kappa over the issues all labelled") {
  Fixture f;
  f.labels("manual:a", {"crash", "crash", "hang", "slow", "slow"});
  f.labels("manual:b", {"crash", "hang", "hang", "slow", "slow"});
  f.labels("manual:c", {"crash", "crash", "hang", "hang"});
  AnnotatorAgreement a = f.run({"manual:a", "manual:b", "manual:c"});
  const LevelAgreement& s = symptom(a);
  CHECK(s.items == 4);
  // Items (crash, hang, slow): (3,0,0) (2,1,0) (0,3,0) (0,1,2): P_i 1, 1/3, 1, 1/3 -> mean 2/3;
  // shares 5/12, 5/12, 2/12 -> P_e = 54/144 = 3/8; kappa = (2/3 - 3/8) / (5/8) = 7/15.
  CHECK(s.fleiss.kappa == doctest::Approx(7.0 / 15));
  CHECK(s.raw_agreement() == doctest::Approx(2.0 / 3));
}

TEST_CASE("Krippendorff's alpha also takes issues only some sources labelled") {
  Fixture f;
  f.labels("manual:a", {"crash", "crash", "hang", "slow", "slow", "hang"});
  f.labels("manual:b", {"crash", "hang", "hang", "slow", "slow"});
  f.labels("manual:c", {"crash", "crash", "hang", "hang"});
  AnnotatorAgreement a = f.run({"manual:a", "manual:b", "manual:c"});
  const LevelAgreement& s = symptom(a);
  CHECK(s.alpha_items == 5);  // issue 6 has one label only
  stats::Alpha expected = stats::krippendorff_alpha_nominal({{"crash", "crash", "crash"},
                                                             {"crash", "hang", "crash"},
                                                             {"hang", "hang", "hang"},
                                                             {"slow", "slow", "hang"},
                                                             {"slow", "slow", ""}});
  CHECK(s.alpha.alpha == doctest::Approx(expected.alpha));
}

TEST_CASE("agreement refuses a source named twice") {
  Fixture f;
  f.labels("manual:a", {"crash"});
  CHECK_THROWS_WITH_AS(f.run({"manual:a", "manual"}), "source 'manual:a' is named twice", Error);
}
