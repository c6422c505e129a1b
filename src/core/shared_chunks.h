// SharedChunks: who owns the chunks of a copy-on-write container (CowVector, CowArray,
// LinkGroups), in groups of 64 shared between copies. Copying a container copied one shared
// pointer a chunk: at 1,000,000 goals tens of thousands of reference counts a snapshot, each a
// cache miss (a fifth of a write through the server). Now a copy counts one reference a group,
// and the first write to a chunk of the copy clones that chunk's group of pointers, then the chunk.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <vector>

namespace cascade {

template <typename C>
class SharedChunks {
 public:
  static constexpr size_t kShift = 6;
  static constexpr size_t kGroup = size_t{1} << kShift;  // chunks a group

  size_t size() const { return size_; }
  // Chunk c's owner (null where the container keeps chunks elsewhere, as CowArray's first ones).
  const std::shared_ptr<C>& operator[](size_t c) const {
    return (*groups_[c >> kShift])[c & (kGroup - 1)];
  }
  // Chunk c's slot, to put another chunk in: its group is cloned first when a copy shares it, so
  // afterwards the slot's use_count() is 1 exactly when no copy can see the chunk.
  std::shared_ptr<C>& Own(size_t c) {
    std::shared_ptr<Group>& g = groups_[c >> kShift];
    if (g.use_count() != 1) g = std::make_shared<Group>(*g);
    return (*g)[c & (kGroup - 1)];
  }
  // Whether no copy can see chunk c (its group and the chunk are referred to once); a null slot
  // never is.
  bool Alone(size_t c) const {
    return groups_[c >> kShift].use_count() == 1 && (*this)[c].use_count() == 1;
  }
  // Whether chunk c's group is this table's alone (a null slot in it is no copy's).
  bool GroupAlone(size_t c) const { return groups_[c >> kShift].use_count() == 1; }

  void push_back(std::shared_ptr<C> chunk) {
    if ((size_ & (kGroup - 1)) == 0) groups_.push_back(std::make_shared<Group>());
    Own(size_) = std::move(chunk);
    ++size_;
  }
  // Fewer chunks: those past `n` are let go. More: null slots.
  void resize(size_t n) {
    if (n > size_) {
      while (size_ < n) push_back(nullptr);
      return;
    }
    groups_.resize((n + kGroup - 1) >> kShift);
    for (size_t c = n; c < size_ && (c >> kShift) < groups_.size(); ++c) Own(c).reset();
    size_ = n;
  }
  void clear() {
    groups_.clear();
    size_ = 0;
  }

 private:
  using Group = std::array<std::shared_ptr<C>, kGroup>;
  std::vector<std::shared_ptr<Group>> groups_;
  size_t size_ = 0;
};

}  // namespace cascade
