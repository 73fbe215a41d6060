// base/csv.cpp — quoting and parsing per RFC 4180.
#include "base/csv.h"

#include <fstream>
#include <sstream>

#include "base/error.h"

namespace firstmile {

std::string csv_escape(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void CsvWriter::row(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out_ << ',';
    out_ << csv_escape(fields[i]);
  }
  out_ << "\r\n";
}

namespace {

// A small state machine over the bytes; `pos` always points at the next unread byte.
class CsvParser {
 public:
  CsvParser(std::string_view text, const std::string& origin) : text_(text), origin_(origin) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  std::vector<CsvRecord> records() {
    std::vector<CsvRecord> out;
    while (pos_ < text_.size()) {
      if (at_line_end()) {  // an empty line
        skip_line_end();
        continue;
      }
      out.push_back(record());
    }
    return out;
  }

 private:
  bool at_line_end() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

  void skip_line_end() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  [[noreturn]] void fail(int64_t line, size_t column, const std::string& what) const {
    throw Error(origin_ + ": line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what);
  }

  CsvRecord record() {
    CsvRecord r;
    r.line = line_;
    while (true) {
      r.fields.push_back(field(r.fields.size() + 1));
      if (pos_ >= text_.size()) break;
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      skip_line_end();  // field() stops only at a comma, a line end or the end
      break;
    }
    return r;
  }

  std::string field(size_t column) {
    std::string out;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      int64_t start_line = line_;
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) fail(start_line, column, "quoted field is never closed");
        char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            out += '"';
            ++pos_;
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        out += c;
      }
      if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
        fail(line_, column, "text after the closing quote (a quote inside a field must be doubled)");
      }
      return out;
    }
    while (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
      if (text_[pos_] == '"') fail(line_, column, "quote inside an unquoted field (quote the whole field)");
      out += text_[pos_++];
    }
    return out;
  }

  std::string_view text_;
  const std::string& origin_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

}  // namespace

std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& origin) {
  return CsvParser(text, origin).records();
}

std::vector<CsvRecord> read_csv_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return parse_csv(s.str(), path.string());
}

}  // namespace firstmile
