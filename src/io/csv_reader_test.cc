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

// ---- DecodeCsvText ----

// `text` as UTF-16 bytes with the byte-order mark first.
std::string Utf16(std::u16string_view text, bool big_endian) {
  std::string out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (const char16_t u : text) {
    const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  }
  return out;
}

std::string Decoded(std::string_view raw, CsvEncoding encoding) {
  std::string storage;
  auto r = DecodeCsvText(raw, encoding, storage);
  if (!r) {
    ADD_FAILURE() << "refused: line " << r.error().line << ": " << r.error().message;
    return {};
  }
  return std::string(*r);
}

Error Refused(std::string_view raw, CsvEncoding encoding) {
  std::string storage;
  auto r = DecodeCsvText(raw, encoding, storage);
  if (r) {
    ADD_FAILURE() << "accepted";
    return {};
  }
  return r.error();
}

TEST(DecodeCsvTextTest, Utf8IsReadInPlaceWithoutItsBom) {
  const std::string raw = "\xEF\xBB\xBFkpi,note\nshare,Été über café €\n";
  std::string storage;
  auto r = DecodeCsvText(raw, CsvEncoding::kUtf8, storage);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "kpi,note\nshare,Été über café €\n");
  EXPECT_EQ(r->data(), raw.data() + 3);  // no copy
  EXPECT_TRUE(storage.empty());
  EXPECT_EQ(Decoded("", CsvEncoding::kUtf8), "");
  EXPECT_EQ(Decoded("4-byte 😀,\xF4\x8F\xBF\xBF", CsvEncoding::kUtf8), "4-byte 😀,\xF4\x8F\xBF\xBF");
}

TEST(DecodeCsvTextTest, Utf16WithABomBothEndiannesses) {
  const std::u16string text = u"kpi,note\r\nshare,café € 😀\r\n";
  const std::string want = "kpi,note\r\nshare,café € 😀\r\n";
  EXPECT_EQ(Decoded(Utf16(text, false), CsvEncoding::kUtf8), want);
  EXPECT_EQ(Decoded(Utf16(text, true), CsvEncoding::kUtf8), want);
  EXPECT_EQ(Decoded(Utf16(u"", false), CsvEncoding::kUtf8), "");
}

TEST(DecodeCsvTextTest, Latin1AndCp1252) {
  EXPECT_EQ(Decoded("note\ncaf\xE9 \xFC\xDF \xA3\xFF\n", CsvEncoding::kLatin1),
            "note\ncafé üß £ÿ\n");
  // Latin-1's 0x80–0x9F are the C1 control characters.
  EXPECT_EQ(Decoded("\x80\x9F", CsvEncoding::kLatin1), "\xC2\x80\xC2\x9F");
  // cp1252 puts printable characters there: the euro sign, curly quotes, dashes, Ÿ.
  EXPECT_EQ(Decoded("note\n\x80 5 \x93ok\x94 \x96 \x97 \x85 \x99 \x8A\x9F caf\xE9\n",
                    CsvEncoding::kCp1252),
            "note\n€ 5 “ok” – — … ™ ŠŸ café\n");
  EXPECT_EQ(Decoded("plain ascii,1\n", CsvEncoding::kCp1252), "plain ascii,1\n");
}

TEST(DecodeCsvTextTest, InvalidUtf8NamesLineAndColumnAndShowsBytesEscaped) {
  const Error e =
      Refused("kpi,date,value,note\nshare,2026-02-01,3,ok\nshare,2026-02-02,4,caf\xE9\n",
              CsvEncoding::kUtf8);
  EXPECT_EQ(e.code, ErrorCode::kInvalid);
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.field, "note");
  EXPECT_EQ(e.message,
            "column note: 'caf\\xe9' is not UTF-8 text (byte \\xe9); save the file as UTF-8, or "
            "name its encoding: --encoding latin1 or --encoding cp1252");

  const struct {
    const char* name;
    std::string text;
    int line;
    std::string message;
  } cases[] = {
      {"in the header", "kpi,d\xE4te,value\n", 1,
       "the header: 'd\\xe4te' is not UTF-8 text (byte \\xe4)"},
      {"after a bom", "\xEF\xBB\xBFkpi,date\nx\xFF,1\n", 2,
       "column kpi: 'x\\xff' is not UTF-8 text (byte \\xff)"},
      {"on the second line of a quoted field", "kpi,note\nshare,\"first\nsecond \x92s\"\n", 3,
       "column note: 'first\\nsecond \\x92s' is not UTF-8 text (byte \\x92)"},
      {"overlong", "a\n\xC0\xAF\n", 2, "column a: '\\xc0\\xaf' is not UTF-8 text (byte \\xc0)"},
      {"surrogate", "a\nx\xED\xA0\x80\n", 2, "'x\\xed\\xa0\\x80' is not UTF-8 text (byte \\xed)"},
      {"past U+10FFFF", "a\n\xF4\x90\x80\x80\n", 2, "(byte \\xf4)"},
      {"cut short at the end", "a\nend \xE2\x82", 2, "'end \\xe2\\x82' is not UTF-8 text"},
      {"control characters around it are shown too", "a\n\x1B[2J\xE9\t\n", 2,
       "'\\x1b[2J\\xe9\\t' is not UTF-8 text"},
      {"a long field is cut around the byte",
       "a\n" + std::string(40, 'x') + "\xE9" + std::string(40, 'y') + "\n", 2,
       "'…" + std::string(24, 'x') + "\\xe9" + std::string(23, 'y') + "…'"},
      {"column past the header's", "a\n1,\xE9\n", 2, "column 2: '\\xe9'"},
      {"after a '#' preamble", "# property: 1\nkpi,note\nx,\xE9\n", 3, "column note: '\\xe9'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Error got = Refused(c.text, CsvEncoding::kUtf8);
    EXPECT_EQ(got.line, c.line);
    EXPECT_NE(got.message.find(c.message), std::string::npos) << got.message;
  }
}

TEST(DecodeCsvTextTest, BrokenUtf16AndUndefinedCp1252BytesAreRefused) {
  Error e = Refused(Utf16(u"a,b\n1,x\xD83D\n", false), CsvEncoding::kUtf8);
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.message,
            "column b: a UTF-16 surrogate without its pair (\\uD83D); the file is damaged, or not "
            "UTF-16");
  e = Refused(Utf16(u"a\n\xDE00", true), CsvEncoding::kUtf8);
  EXPECT_EQ(e.line, 2);
  EXPECT_NE(e.message.find("(\\uDE00)"), std::string::npos) << e.message;
  e = Refused(Utf16(u"a\nb\n", false) + "x", CsvEncoding::kUtf8);
  EXPECT_EQ(e.line, 3);
  EXPECT_NE(e.message.find("an odd number of bytes"), std::string::npos) << e.message;

  e = Refused("kpi,note\nshare,ok\nshare,\x81x\n", CsvEncoding::kCp1252);
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.field, "note");
  EXPECT_EQ(e.message,
            "column note: '\\x81x' holds byte \\x81, which cp1252 does not define; is the file in "
            "another encoding (utf8, the default, or latin1)?");
  for (const char* undefined : {"\x8D", "\x8F", "\x90", "\x9D"}) {
    EXPECT_EQ(Refused(undefined, CsvEncoding::kCp1252).line, 1) << undefined[0];
  }
  // A byte-order mark says the file is not in a single-byte encoding.
  e = Refused("\xEF\xBB\xBFkpi\n", CsvEncoding::kLatin1);
  EXPECT_EQ(e.line, 1);
  EXPECT_EQ(e.message,
            "the file begins with a UTF-8 byte-order mark, so it is UTF-8, not latin1; leave out "
            "--encoding");
  e = Refused(Utf16(u"kpi\n", true), CsvEncoding::kCp1252);
  EXPECT_NE(e.message.find("UTF-16 byte-order mark"), std::string::npos) << e.message;
}

TEST(DecodeCsvTextTest, ParseCsvEncoding) {
  EXPECT_EQ(*ParseCsvEncoding("utf8"), CsvEncoding::kUtf8);
  EXPECT_EQ(*ParseCsvEncoding("UTF-8"), CsvEncoding::kUtf8);
  EXPECT_EQ(*ParseCsvEncoding("latin1"), CsvEncoding::kLatin1);
  EXPECT_EQ(*ParseCsvEncoding("ISO-8859-1"), CsvEncoding::kLatin1);
  EXPECT_EQ(*ParseCsvEncoding("cp1252"), CsvEncoding::kCp1252);
  EXPECT_EQ(*ParseCsvEncoding("Windows-1252"), CsvEncoding::kCp1252);
  auto r = ParseCsvEncoding("ebcdic\x1B");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "encoding");
  EXPECT_EQ(r.error().message,
            "--encoding 'ebcdic\\x1b' is not known; use utf8 (the default, which also reads "
            "UTF-16 with a byte-order mark), latin1 or cp1252");
}

}  // namespace
}  // namespace cascade
