// analyze/report.h — a StudyReport for the terminal and as JSON.
//
//   print_study_report(report, std::cout);           // plain-language findings, then the tables
//   nlohmann::ordered_json j = study_to_json(report); // every number, in a stable order
//
// Numbers never print as NaN or inf: statistics that could not be computed carry ok = false
// and a note instead.
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "analyze/study.h"

namespace firstmile {

void print_study_report(const StudyReport& report, std::ostream& out);
nlohmann::ordered_json study_to_json(const StudyReport& report);
nlohmann::ordered_json cross_table_to_json(const CrossTable& table);

// Every cross table of the report (RQ3, RQ4, RQ5, RQ6) in report order, for exporters.
std::vector<const CrossTable*> cross_tables(const StudyReport& report);

}  // namespace firstmile
