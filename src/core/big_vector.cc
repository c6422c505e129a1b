#include "core/big_vector.h"

#include <cstdlib>
#include <utility>

#include "core/mutex.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace cascade {
namespace {

// Sizes are rounded up to whole kMinKept units, or whole huge pages from a huge page on, so that
// requests of nearly the same size (a workspace one check-in larger) find the same blocks.
size_t Rounded(size_t bytes) {
  const size_t unit = bytes >= BigBlocks::kHugePage ? BigBlocks::kHugePage : BigBlocks::kMinKept;
  return (bytes + unit - 1) / unit * unit;
}

struct KeptBlocks {
  Mutex mutex;
  std::vector<std::pair<void*, size_t>> blocks GUARDED_BY(mutex);  // (block, rounded size)
  size_t bytes GUARDED_BY(mutex) = 0;
  bool keep GUARDED_BY(mutex) = false;
};

KeptBlocks& TheKept() {
  static KeptBlocks* kept =
      new KeptBlocks;  // never destroyed: blocks may be freed during static destruction
  return *kept;
}

}  // namespace

void* BigBlocks::Allocate(size_t bytes) {
  const size_t size = Rounded(bytes);
  {
    KeptBlocks& k = TheKept();
    const MutexLock lock(k.mutex);
    // The smallest kept block that fits without wasting more than a quarter of itself.
    size_t best = k.blocks.size();
    for (size_t i = 0; i < k.blocks.size(); ++i) {
      const size_t s = k.blocks[i].second;
      if (s >= size && s - s / 4 <= size &&
          (best == k.blocks.size() || s < k.blocks[best].second)) {
        best = i;
      }
    }
    if (best != k.blocks.size()) {
      void* p = k.blocks[best].first;
      k.bytes -= k.blocks[best].second;
      k.blocks[best] = k.blocks.back();
      k.blocks.pop_back();
      return p;
    }
  }
  void* p = nullptr;
  const bool huge = size >= kHugePage;
  if (posix_memalign(&p, huge ? kHugePage : 64, size) != 0) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // Advice only: where the kernel offers no huge pages this fails and nothing changes.
  if (huge) madvise(p, size, MADV_HUGEPAGE);
#endif
  return p;
}

void BigBlocks::Free(void* p, size_t bytes) {
  const size_t size = Rounded(bytes);
  {
    KeptBlocks& k = TheKept();
    const MutexLock lock(k.mutex);
    if (k.keep && k.bytes + size <= kMaxKept) {
      k.blocks.emplace_back(p, size);
      k.bytes += size;
      return;
    }
  }
  std::free(p);
}

size_t BigBlocks::Kept() {
  KeptBlocks& k = TheKept();
  const MutexLock lock(k.mutex);
  return k.bytes;
}

void BigBlocks::Keep(bool keep) {
  {
    KeptBlocks& k = TheKept();
    const MutexLock lock(k.mutex);
    k.keep = keep;
  }
  if (!keep) Release();
}

void BigBlocks::Release() {
  KeptBlocks& k = TheKept();
  const MutexLock lock(k.mutex);
  for (const auto& [p, size] : k.blocks) std::free(p);
  k.blocks.clear();
  k.bytes = 0;
}

}  // namespace cascade
