// A child process for loopback integration tests: starts a real binary (tally, mno-sandbox) with
// arguments and extra environment, captures its output to a log file, waits until it answers on
// its port, and stops it (SIGTERM, then SIGKILL) when the test is done, even if the test fails.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace testenv {

class Process {
 public:
  Process(std::string binary, std::vector<std::string> args, std::map<std::string, std::string> env = {},
          std::string log_path = "");
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Polls until a TCP connect to 127.0.0.1:port succeeds, or the process exits, or the deadline passes.
  bool wait_for_port(uint16_t port, std::chrono::milliseconds deadline = std::chrono::seconds(20));
  // Sends SIGTERM and waits up to `grace` for exit; returns the exit status (or -1 if it had to be killed).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // SIGKILL now (no chance to clean up, as in a crash or an OOM kill) and reap; returns the exit status.
  int kill_now();
  // Waits for the process to exit by itself (used for CLI commands); -1 on timeout (then it is killed).
  int wait_exit(std::chrono::milliseconds deadline = std::chrono::seconds(30));
  bool running();
  std::string output() const;  // everything the process wrote so far (stdout and stderr)
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  int status_ = -1;
  bool exited_ = false;
  std::string log_path_;
};

// Runs a command to completion and returns {exit status, combined output}.
std::pair<int, std::string> run_command(const std::string& binary, const std::vector<std::string>& args,
                                        const std::map<std::string, std::string>& env = {});

}  // namespace testenv
