// What the thread-safety analysis must refuse, each refusal expected on the line after its
// `expected-error@+1` (clang -verify: the test fails when one is missing, moved or added), beside
// the same code written right, which must pass. Compiled only by the
// thread_safety_analysis.misuse test, never linked.
#include "core/mutex.h"

namespace cascade {

class Counter {
 public:
  // Right: the lock held for every access, and across a wait.
  void Add(int n) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    AddLocked(n);
    cv_.NotifyAll();
  }
  int WaitForPositive() EXCLUDES(mu_) {
    MutexLock lock(mu_);
    while (value_ <= 0) cv_.Wait(mu_);
    return value_;
  }

  // Wrong, one way each.
  void AddUnlocked(int n) {
    // expected-error@+1 {{writing variable 'value_' requires holding mutex 'mu_' exclusively}}
    value_ += n;
  }
  int ReadUnlocked() const {
    // expected-error@+1 {{reading variable 'value_' requires holding mutex 'mu_'}}
    return value_;
  }
  void CallUnlocked() {
    // expected-error@+1 {{calling function 'AddLocked' requires holding mutex 'mu_' exclusively}}
    AddLocked(1);
  }
  void AddTwice() {
    MutexLock lock(mu_);
    // expected-error@+1 {{cannot call function 'Add' while mutex 'mu_' is held}}
    Add(1);
  }
  int ReadAfterScope() {
    {
      MutexLock lock(mu_);
      value_ = 0;
    }
    // expected-error@+1 {{reading variable 'value_' requires holding mutex 'mu_'}}
    return value_;
  }
  void LockTwice() {
    MutexLock lock(mu_);  // expected-note {{mutex acquired here}}
    // expected-error@+1 {{acquiring mutex 'mu_' that is already held}}
    MutexLock again(mu_);
  }
  void WaitUnlocked() {
    // expected-error@+1 {{calling function 'Wait' requires holding mutex 'mu_' exclusively}}
    cv_.Wait(mu_);
  }
  int ReadThroughPointer() {
    MutexLock lock(mu_);
    int* p = data_;  // the pointer itself is not guarded
    // expected-error@+1 {{value pointed to by 'data_' requires holding mutex 'other_mu_'}}
    return *p + *data_;
  }

 private:
  void AddLocked(int n) REQUIRES(mu_) { value_ += n; }

  mutable Mutex mu_;
  Mutex other_mu_;
  CondVar cv_;
  int value_ GUARDED_BY(mu_) = 0;
  int* data_ PT_GUARDED_BY(other_mu_) = nullptr;
};

}  // namespace cascade
