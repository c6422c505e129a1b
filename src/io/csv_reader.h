// Reads CSV (RFC 4180) from a buffer held in memory, one record at a time, handing out each field
// as a string_view into that buffer: imports of millions of rows copy nothing they do not keep.
// Accepts what spreadsheets and analytics tools write: a UTF-8 byte-order mark, CRLF, LF or CR line
// ends, quoted fields holding separators, line breaks and "" escapes. DecodeCsvText turns a file's
// bytes into the UTF-8 text the reader reads (spec §4: UTF-8, UTF-16 with a BOM, Latin-1, cp1252).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cascade {

struct CsvRecord {
  int line = 0;                          // 1-based line the record starts on
  std::vector<std::string_view> fields;  // valid until the reader's next Next() or its end
  // A field the reader could read past but not make sense of (text after a closing quote): its
  // index and what is wrong; -1 and "" when the record is well formed.
  int bad_field = -1;
  std::string_view problem;
};

class CsvReader {
 public:
  // `text` must outlive the reader and every record it fills. A leading UTF-8 BOM is skipped.
  explicit CsvReader(std::string_view text);

  // Fills `record` with the next record and returns true; false at the end of the text or on an
  // error that ends reading (then error() is set). Blank lines are skipped; a line of separators
  // only is a record of empty fields.
  bool Next(CsvRecord& record);

  // Set once Next() has returned false because a quoted field is never closed; the Error names
  // the line the quote opens on.
  const std::optional<Error>& error() const { return error_; }

  // Bytes consumed so far and in all (without the BOM), for a progress bar.
  size_t position() const { return pos_; }
  size_t size() const { return text_.size(); }

 private:
  // A field holding "" escapes: its text is unescaped into scratch_, and the view is pointed there
  // once the record is complete (scratch_ may move while it grows).
  struct Unescaped {
    uint32_t field;
    uint32_t offset;
    uint32_t length;
  };

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  std::string scratch_;
  std::vector<Unescaped> unescaped_;
  std::optional<Error> error_;
};

// The encodings a CSV file may be read in. kUtf8 is the default and also reads UTF-16 (little or
// big endian) when the file begins with its byte-order mark.
enum class CsvEncoding { kUtf8, kLatin1, kCp1252 };

// The encoding an `--encoding` value names: utf8, latin1 or cp1252 (any case; also utf-8,
// latin-1, iso-8859-1, windows-1252). Anything else is refused, naming the allowed values.
Result<CsvEncoding> ParseCsvEncoding(std::string_view name);

// `raw`, a file's bytes, as UTF-8 text without a byte-order mark: a view into `raw` when it is
// UTF-8 already (validated: no overlong forms, surrogates or code points past U+10FFFF), else into
// `storage`, which receives the transcoded text. A byte the encoding does not allow (or a broken
// UTF-16 file) is an Error naming its 1-based line and, when the CSV around it can be read, its
// column (the header's name for it); the message shows bytes escaped (io/visible_text.h), never
// raw.
Result<std::string_view> DecodeCsvText(std::string_view raw, CsvEncoding encoding,
                                       std::string& storage);

}  // namespace cascade
