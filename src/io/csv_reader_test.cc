#include "io/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cascade {
namespace {

struct Row {
  int line;
  std::vector<std::string> fields;
  bool operator==(const Row&) const = default;
};

void PrintTo(const Row& r, std::ostream* os) {
  *os << "line " << r.line << ":";
  for (const auto& f : r.fields) *os << " [" << f << "]";
}

struct Read {
  std::vector<Row> rows;
  int error_line = 0;  // line of the read error, 0 for none
};

Read ReadAll(std::string_view text) {
  Read out;
  CsvReader reader(text);
  CsvRecord record;
  while (reader.Next(record)) {
    EXPECT_EQ(record.bad_field, -1) << "line " << record.line << ": " << record.problem;
    out.rows.push_back({record.line, {record.fields.begin(), record.fields.end()}});
  }
  if (reader.error()) out.error_line = reader.error()->line;
  EXPECT_FALSE(reader.Next(record)) << "Next() after the end";
  return out;
}

struct Case {
  const char* name;
  std::string text;
  std::vector<Row> rows;
};

TEST(CsvReaderTest, Records) {
  const Case cases[] = {
      {"lf",
       "kpi,date,value\nshare,2026-01-01,5\n",
       {{1, {"kpi", "date", "value"}}, {2, {"share", "2026-01-01", "5"}}}},
      {"no final line end", "a,b\n1,2", {{1, {"a", "b"}}, {2, {"1", "2"}}}},
      {"crlf", "a,b\r\n1,2\r\n3,4\r\n", {{1, {"a", "b"}}, {2, {"1", "2"}}, {3, {"3", "4"}}}},
      {"lone cr", "a,b\r1,2\r", {{1, {"a", "b"}}, {2, {"1", "2"}}}},
      {"bom", "\xEF\xBB\xBFkpi,date\nx,y\n", {{1, {"kpi", "date"}}, {2, {"x", "y"}}}},
      {"bom and crlf",
       "\xEF\xBB\xBF"
       "a\r\nb\r\n",
       {{1, {"a"}}, {2, {"b"}}}},
      {"utf-8 text kept", "note\nÉté über café\n", {{1, {"note"}}, {2, {"Été über café"}}}},
      {"quoted comma", "v\n\"1,234\"\n", {{1, {"v"}}, {2, {"1,234"}}}},
      {"quoted and plain", "\"a\",b,\"c\"\n", {{1, {"a", "b", "c"}}}},
      {"escaped quotes", "\"say \"\"hi\"\"\",x\n", {{1, {"say \"hi\"", "x"}}}},
      {"only an escaped quote", "\"\"\"\"\n", {{1, {"\""}}}},
      {"two escaped fields", "\"a\"\"b\",\"c\"\"d\",e\n", {{1, {"a\"b", "c\"d", "e"}}}},
      {"empty quoted field", "\"\",x\n", {{1, {"", "x"}}}},
      {"newline inside quotes",
       "a,\"x\ny\",b\nc,d,e\n",
       {{1, {"a", "x\ny", "b"}}, {3, {"c", "d", "e"}}}},
      {"crlf inside quotes",
       "\"x\r\ny\r\nz\",1\r\nnext\r\n",
       {{1, {"x\r\ny\r\nz", "1"}}, {4, {"next"}}}},
      {"escapes and newlines", "\"a\"\"\nb\"\nc\n", {{1, {"a\"\nb"}}, {3, {"c"}}}},
      {"empty fields", ",,\na,\n,b\n", {{1, {"", "", ""}}, {2, {"a", ""}}, {3, {"", "b"}}}},
      {"trailing separator at end", "a,", {{1, {"a", ""}}}},
      {"blank lines skipped", "a\n\n\r\n\nb\n\n", {{1, {"a"}}, {5, {"b"}}}},
      {"quote inside unquoted field is text", "5\" screen,x\n", {{1, {"5\" screen", "x"}}}},
      {"spaces kept", " a , b \n", {{1, {" a ", " b "}}}},
      {"empty", "", {}},
      {"only a bom", "\xEF\xBB\xBF", {}},
      {"only line ends", "\n\r\n\n", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Read got = ReadAll(c.text);
    EXPECT_EQ(got.error_line, 0);
    EXPECT_EQ(got.rows, c.rows);
  }
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLineItOpensOn) {
  const struct {
    const char* name;
    std::string text;
    int rows_before;
    int line;
  } cases[] = {
      {"last field", "a,b\n1,\"2\n3,4\n", 1, 2},
      {"first line", "\"abc", 0, 1},
      {"after escapes", "x\ny\n\"a\"\"b\n", 2, 3},
      {"after a quoted newline", "\"a\nb\"\n\"c\n", 1, 3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Read got = ReadAll(c.text);
    EXPECT_EQ(static_cast<int>(got.rows.size()), c.rows_before);
    EXPECT_EQ(got.error_line, c.line);
  }
  CsvReader reader("a\n\"b");
  CsvRecord record;
  ASSERT_TRUE(reader.Next(record));
  EXPECT_FALSE(reader.Next(record));
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->code, ErrorCode::kInvalid);
  EXPECT_NE(reader.error()->message.find("never closed"), std::string::npos);
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsAFieldProblemAndReadingGoesOn) {
  CsvReader reader("a,\"b\"c,d\ne,f,g\n");
  CsvRecord record;
  ASSERT_TRUE(reader.Next(record));
  EXPECT_EQ(record.line, 1);
  EXPECT_EQ(record.bad_field, 1);
  EXPECT_FALSE(record.problem.empty());
  ASSERT_EQ(record.fields.size(), 3u);
  EXPECT_EQ(record.fields[2], "d");
  ASSERT_TRUE(reader.Next(record));
  EXPECT_EQ(record.line, 2);
  EXPECT_EQ(record.bad_field, -1);
  EXPECT_TRUE(record.problem.empty());
  EXPECT_EQ(record.fields[0], "e");
  EXPECT_FALSE(reader.Next(record));
  EXPECT_FALSE(reader.error());
}

TEST(CsvReaderTest, UnquotedFieldsPointIntoTheBuffer) {
  const std::string text = "alpha,\"beta\"\n";
  CsvReader reader(text);
  CsvRecord record;
  ASSERT_TRUE(reader.Next(record));
  EXPECT_EQ(record.fields[0].data(), text.data());
  EXPECT_EQ(record.fields[1].data(), text.data() + 7);
}

TEST(CsvReaderTest, ManyEscapedFieldsInOneRecordStayIntact) {
  // Enough unescaped text that the reader's scratch buffer grows while the record is read.
  std::string text;
  std::vector<std::string> want;
  for (int i = 0; i < 200; ++i) {
    if (i > 0) text += ",";
    const std::string body = "field " + std::to_string(i) + " says " + std::string(i % 7, 'x');
    text += "\"" + body + " \"\"q\"\"\"";
    want.push_back(body + " \"q\"");
  }
  text += "\nlast\n";
  const Read got = ReadAll(text);
  ASSERT_EQ(got.rows.size(), 2u);
  EXPECT_EQ(got.rows[0].fields, want);
  EXPECT_EQ(got.rows[1], (Row{2, {"last"}}));
}

TEST(CsvReaderTest, PositionReachesTheSize) {
  const std::string text =
      "\xEF\xBB\xBF"
      "a,b\n1,2\n";
  CsvReader reader(text);
  EXPECT_EQ(reader.size(), text.size() - 3);
  CsvRecord record;
  ASSERT_TRUE(reader.Next(record));
  EXPECT_EQ(reader.position(), 4u);
  while (reader.Next(record)) {
  }
  EXPECT_EQ(reader.position(), reader.size());
}

}  // namespace
}  // namespace cascade
