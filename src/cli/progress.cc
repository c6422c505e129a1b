#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <utility>

namespace cascade {

ProgressBar::ProgressBar(std::string label, size_t total_bytes)
    : label_(std::move(label)),
      shown_(isatty(STDERR_FILENO) == 1 && total_bytes >= kProgressMinBytes) {}

void ProgressBar::Update(size_t done, size_t total) {
  if (!shown_ || total == 0) return;
  const int percent = static_cast<int>(done * 100 / total);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  const int width = 30;
  const int filled = percent * width / 100;
  std::string bar;
  for (int i = 0; i < width; ++i) bar += i < filled ? "█" : "░";
  std::fprintf(stderr, "\r%s %s %3d%%", label_.c_str(), bar.c_str(), percent);
  std::fflush(stderr);
}

void ProgressBar::Say(const std::string& text) {
  if (!shown_) return;
  std::fprintf(stderr, "\r\033[K%s", text.c_str());
  std::fflush(stderr);
}

void ProgressBar::Clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace cascade
