// Clang's thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html): which
// mutex guards a member (GUARDED_BY), which functions need it held (REQUIRES) or not held
// (EXCLUDES). Clang checks them with -Wthread-safety (the thread_safety_analysis tests of
// `make test`); under GCC they expand to nothing. The annotated lock types are in core/mutex.h.
#pragma once

#if defined(__clang__)
#define THREAD_ANNOTATION_ATTRIBUTE_(x) __attribute__((x))
#else
#define THREAD_ANNOTATION_ATTRIBUTE_(x)
#endif

// On a class: its objects are locks (a mutex); on a scoped class: it holds one while it lives.
#define CAPABILITY(x) THREAD_ANNOTATION_ATTRIBUTE_(capability(x))
#define SCOPED_CAPABILITY THREAD_ANNOTATION_ATTRIBUTE_(scoped_lockable)

// On a member: read or written only with the mutex held (PT_: what the pointer points to).
#define GUARDED_BY(x) THREAD_ANNOTATION_ATTRIBUTE_(guarded_by(x))
#define PT_GUARDED_BY(x) THREAD_ANNOTATION_ATTRIBUTE_(pt_guarded_by(x))

// On a mutex member: the order in which mutexes are taken.
#define ACQUIRED_BEFORE(...) THREAD_ANNOTATION_ATTRIBUTE_(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) THREAD_ANNOTATION_ATTRIBUTE_(acquired_after(__VA_ARGS__))

// On a function: the caller must hold the mutex (exclusively, or at least shared).
#define REQUIRES(...) THREAD_ANNOTATION_ATTRIBUTE_(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) THREAD_ANNOTATION_ATTRIBUTE_(requires_shared_capability(__VA_ARGS__))

// On a function: it takes, tries to take or lets go of the mutex (of `this` when none is named).
#define ACQUIRE(...) THREAD_ANNOTATION_ATTRIBUTE_(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) THREAD_ANNOTATION_ATTRIBUTE_(acquire_shared_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) THREAD_ANNOTATION_ATTRIBUTE_(try_acquire_capability(__VA_ARGS__))
#define RELEASE(...) THREAD_ANNOTATION_ATTRIBUTE_(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) THREAD_ANNOTATION_ATTRIBUTE_(release_shared_capability(__VA_ARGS__))

// On a function: the caller must not hold the mutex (the function takes it itself).
#define EXCLUDES(...) THREAD_ANNOTATION_ATTRIBUTE_(locks_excluded(__VA_ARGS__))

// On a function: it checks that the mutex is held (the analysis then takes it as held).
#define ASSERT_CAPABILITY(x) THREAD_ANNOTATION_ATTRIBUTE_(assert_capability(x))
// On a function: it returns this mutex (a getter of a lock another object owns).
#define RETURN_CAPABILITY(x) THREAD_ANNOTATION_ATTRIBUTE_(lock_returned(x))

// On one function the analysis cannot follow (say, a lock handed to another function): it is not
// checked. Always with a comment saying why.
#define NO_THREAD_SAFETY_ANALYSIS THREAD_ANNOTATION_ATTRIBUTE_(no_thread_safety_analysis)
