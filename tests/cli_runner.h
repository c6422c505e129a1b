// Runs the built `cascade` binary the way a user does and captures what it prints, for the
// end-to-end tests. Each test gets its own temporary folder and database.
#pragma once

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cascade::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  nlohmann::json Json() const { return nlohmann::json::parse(out); }
};

inline std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

inline std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A scratch folder with a database; Run() calls `cascade --db DB ARGS…` with NO_COLOR set.
class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("cascade-e2e-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "test.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  RunResult Run(const std::vector<std::string>& args) const { return RunOn(db_, args); }

  // The same against another database file.
  RunResult RunOn(const std::string& db, const std::vector<std::string>& args) const {
    return RunCommand("NO_COLOR=1 CASCADE_ACTOR=tester " + ShellQuote(CASCADE_BIN) + " --db " +
                          ShellQuote(db),
                      args, "/dev/null");
  }

  // Like Run(), with `input` as the program's stdin (a file, so not a terminal).
  RunResult RunWithInput(const std::vector<std::string>& args, const std::string& input) const {
    return RunCommand("NO_COLOR=1 CASCADE_ACTOR=tester " + ShellQuote(CASCADE_BIN) + " --db " +
                          ShellQuote(db_),
                      args, WriteFile("stdin.txt", input));
  }

  // `PREFIX ARGS…` through the shell in the scratch folder, stdin from `stdin_path`; PREFIX is
  // shell text (environment assignments and the program), each of ARGS is quoted.
  RunResult RunCommand(const std::string& prefix, const std::vector<std::string>& args,
                       const std::string& stdin_path) const {
    std::string cmd = "cd " + ShellQuote(dir_.string()) + " && " + prefix;
    for (const auto& a : args) cmd += " " + ShellQuote(a);
    cmd += " >" + ShellQuote((dir_ / "out.txt").string()) + " 2>" +
           ShellQuote((dir_ / "err.txt").string()) + " <" + ShellQuote(stdin_path);
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadAll(dir_ / "out.txt");
    r.err = ReadAll(dir_ / "err.txt");
    return r;
  }

  // `cascade --db DB ARGS…` with its stdout and stderr on a pseudo-terminal of 120 columns, with
  // NO_COLOR set to `no_color` (unset when null). Returns what the terminal received, in `out`.
  RunResult RunOnTerminal(const std::vector<std::string>& args, const char* no_color) const {
    std::vector<std::string> argv_text{CASCADE_BIN, "--db", db_};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    winsize size{};
    size.ws_row = 50;
    size.ws_col = 120;
    int master = -1;
    const pid_t pid = forkpty(&master, nullptr, nullptr, &size);
    if (pid == 0) {
      if (chdir(dir_.c_str()) != 0) _exit(126);
      if (no_color != nullptr) {
        setenv("NO_COLOR", no_color, 1);
      } else {
        unsetenv("NO_COLOR");
      }
      execv(argv[0], argv.data());
      _exit(127);
    }
    RunResult r;
    if (pid < 0) {
      ADD_FAILURE() << "forkpty failed";
      return r;
    }
    char buf[4096];
    for (;;) {
      pollfd p{master, POLLIN, 0};
      if (poll(&p, 1, 10000) <= 0) break;
      const ssize_t n = read(master, buf, sizeof buf);
      if (n > 0) {
        r.out.append(buf, static_cast<size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        break;  // EIO once the program has exited and closed the terminal
      }
    }
    close(master);
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  }

  // Writes `text` to a file in the scratch folder and returns its path.
  std::string WriteFile(const std::string& name, const std::string& text) const {
    const auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  static std::string TestData(const std::string& name) {
    return std::string(CASCADE_TESTDATA) + "/" + name;
  }

  std::filesystem::path dir_;
  std::string db_;
};

}  // namespace cascade::testing
