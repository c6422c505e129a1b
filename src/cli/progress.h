// Progress on a terminal for long work (imports, large plans): one line on stderr, redrawn in
// place, shown only when stderr is a terminal and the input is large; never in pipes or tests.
#pragma once

#include <cstddef>
#include <string>

namespace cascade {

// Inputs smaller than this finish before a bar would be worth drawing.
inline constexpr size_t kProgressMinBytes = 4u << 20;

// A one-line bar on stderr, redrawn in place; only on a terminal, only for large files.
class ProgressBar {
 public:
  ProgressBar(std::string label, size_t total_bytes);
  ~ProgressBar() { Clear(); }

  bool shown() const { return shown_; }

  void Update(size_t done, size_t total);

  // Replaces the bar with a line of text (the slow write that follows the parse).
  void Say(const std::string& text);

  void Clear();

 private:
  std::string label_;
  bool shown_;
  int last_percent_ = -1;
};

}  // namespace cascade
