// A `cascade serve` process for the end-to-end tests: started on a free port of 127.0.0.1 with
// its stdout and stderr in files of the test's folder, stopped with SIGTERM when destroyed.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.h"

namespace cascade::testing {

class ServerProcess {
 public:
  // Runs `cascade --db DB COMMAND… EXTRA…` and waits up to 10 s for its "listening on" line;
  // port() is 0 when it never came (Out() and Log() tell why).
  ServerProcess(const std::string& db, const std::filesystem::path& dir,
                std::vector<std::string> extra = {},
                std::vector<std::string> command = {"serve", "--listen", "127.0.0.1:0"}) {
    const std::string n = std::to_string(counter_++);
    out_ = (dir / ("serve-out-" + n + ".txt")).string();
    err_ = (dir / ("serve-err-" + n + ".txt")).string();
    std::vector<std::string> args = {CASCADE_BIN, "--db", db};
    args.insert(args.end(), command.begin(), command.end());
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = fork();
    if (pid_ == 0) {
      FILE* o = freopen(out_.c_str(), "w", stdout);
      FILE* e = freopen(err_.c_str(), "w", stderr);
      (void)o;
      (void)e;
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(CASCADE_BIN, argv.data());
      _exit(127);
    }
    const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
    for (int i = 0; i < 400 && port_ == 0; ++i) {
      std::smatch m;
      const std::string text = ReadAll(out_);
      if (std::regex_search(text, m, listening)) port_ = std::stoi(m[1]);
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() { Stop(SIGTERM); }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string Out() const { return ReadAll(out_); }
  std::string Log() const { return ReadAll(err_); }

  // Sends `sig` (0: none, for a process already told to stop) and waits up to `limit` for the
  // process to end; returns its exit status (128 + signal when a signal ended it), or -1 when it
  // had to be killed.
  int Stop(int sig, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    if (pid_ <= 0) return exit_status_;
    if (sig != 0) kill(pid_, sig);
    const auto until = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < until) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return exit_status_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = 0;
    exit_status_ = -1;
    return -1;
  }

 private:
  static inline int counter_ = 0;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;
  std::string out_, err_;
};

}  // namespace cascade::testing
