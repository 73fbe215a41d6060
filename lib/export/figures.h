// export/figures.h — the study's figures as SVG.
//
//   std::string svg = stacked_bars_svg(report.stage_by_symptom, "Symptoms by lifecycle stage");
//   write_figures(report, "paper/");   // every figure, returns file names
//
// Figures: stacked horizontal bars (category shares within each stage), heatmaps (symptom x
// root cause coloured by adjusted residual; series correlation), treemaps of the symptom and
// root-cause hierarchies, grouped bars (version evolution). Layout is computed from estimated
// text widths so the study's long category names do not overlap; every mark carries a
// <title> tooltip with its exact numbers. Same report, same bytes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analyze/study.h"

namespace firstmile {

std::string stacked_bars_svg(const CrossTable& table, const std::string& title);
std::string residual_heatmap_svg(const CrossTable& table, const std::string& title);
std::string correlation_heatmap_svg(const SeriesComparison& comparison, const std::string& title);
std::string treemap_svg(const Distribution& leaves, const std::string& title);
std::string grouped_bars_svg(const CrossTable& table, const std::string& title);

std::vector<std::string> write_figures(const StudyReport& report, const std::filesystem::path& dir);

}  // namespace firstmile
