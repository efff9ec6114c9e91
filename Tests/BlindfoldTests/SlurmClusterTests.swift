import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real single-node Slurm cluster on loopback (munged, slurmctld, slurmd with
/// `proctrack/linuxproc` and `task/none`), running `deploy/slurm`'s array script and its
/// dependent merge job; the merged manifest must equal one scan's. Needs root and Debian's
/// `slurm-wlm` and `munge` (.ci/install-deps): without them the test fails, it never skips.
@Suite("Slurm cluster", .serialized)
struct SlurmClusterTests {
    /// The daemons of one private cluster, stopped by ``stop()``.
    struct Cluster {
        let directory: URL
        let configuration: URL
        let environment: [String: String]
        /// The pids of munged, slurmctld and slurmd, in that order.
        let daemons: [pid_t]

        /// Starts argv[1:] detached and prints its pid.
        static let launcher = """
            import os, signal, sys
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGCHLD, signal.SIGPIPE):
                signal.signal(number, signal.SIG_DFL)
            pid = os.fork()
            if pid == 0:
                os.setsid()
                null = os.open("/dev/null", os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.closerange(3, 65536)
                os.execv(sys.argv[1], sys.argv[1:])
            print(pid)
            """

        /// Writes the configuration and key, starts munged, slurmctld and slurmd, waits for the node.
        static func start(in directory: URL) throws -> Cluster {
            for tool in ["/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch"] {
                try #require(FileManager.default.isExecutableFile(atPath: tool),
                             "\(tool) is missing: install slurm-wlm and munge (.ci/install-deps)")
            }
            try #require(getuid() == 0, "the single-node cluster runs its daemons as root")
            let fm = FileManager.default
            for sub in ["munge", "state", "spool"] {
                try fm.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
            chmod(directory.path + "/munge", 0o711)
            let key = directory.path + "/munge/munge.key"
            var random = SeededBytes(seed: UInt64(getpid()) &* 7919 &+ UInt64(time(nil)))
            try Data(random.next(1024)).write(to: URL(fileURLWithPath: key))
            chmod(key, 0o600)
            let ports = 20_000 + Int(getpid() % 5_000) * 2
            let cpus = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
            let path = directory.path
            let text = """
                ClusterName=blindfoldtest
                SlurmctldHost=localhost
                SlurmUser=root
                SlurmdUser=root
                AuthType=auth/munge
                AuthInfo=socket=\(path)/munge/socket
                CredType=cred/munge
                ProctrackType=proctrack/linuxproc
                TaskPlugin=task/none
                SelectType=select/cons_tres
                SelectTypeParameters=CR_Core
                ReturnToService=2
                MpiDefault=none
                SchedulerType=sched/backfill
                SchedulerParameters=sched_interval=1
                StateSaveLocation=\(path)/state
                SlurmdSpoolDir=\(path)/spool
                SlurmctldPidFile=\(path)/slurmctld.pid
                SlurmdPidFile=\(path)/slurmd.pid
                SlurmctldLogFile=\(path)/slurmctld.log
                SlurmdLogFile=\(path)/slurmd.log
                SlurmctldPort=\(ports)
                SlurmdPort=\(ports + 1)
                JobCompType=jobcomp/none
                AccountingStorageType=accounting_storage/none
                NodeName=localhost CPUs=\(cpus) RealMemory=1024 State=UNKNOWN
                PartitionName=blindfold Nodes=localhost Default=YES MaxTime=INFINITE State=UP

                """
            let configuration = directory.appendingPathComponent("slurm.conf")
            try text.write(to: configuration, atomically: true, encoding: .utf8)
            var environment = ProcessInfo.processInfo.environment
            environment["SLURM_CONF"] = configuration.path

            // In the foreground (munged -F, slurmctld -D, slurmd -D), detached from the test
            // process by a launcher that resets the signal mask and dispositions, closes every
            // inherited descriptor and starts a new session: the daemons hold nothing of the
            // test's, and each is stopped by its own pid.
            var daemons: [pid_t] = []
            func launch(_ tool: String, _ arguments: [String], log: String) throws {
                let started = try ProcessRunner.run(
                    "/usr/bin/env", ["python3", "-c", Cluster.launcher, tool] + arguments, environment: environment)
                guard started.exitCode == 0, let pid = pid_t(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
                else {
                    Cluster.stop(daemons)
                    Issue.record("\(tool) could not be started: \(started.stderr)")
                    throw ClusterError()
                }
                daemons.append(pid)
                usleep(300_000)
                if !Cluster.alive(pid) {
                    Cluster.stop(daemons)
                    Issue.record("\(tool) stopped at once: \(Cluster.tail(directory, log))")
                    throw ClusterError()
                }
            }
            try launch("/usr/sbin/munged", [
                "-F", "--force", "--socket=\(path)/munge/socket", "--key-file=\(key)", "--log-file=\(path)/munge/log",
                "--pid-file=\(path)/munge/pid", "--seed-file=\(path)/munge/seed",
            ], log: "munge/log")
            if !ResumeTests.wait(seconds: 10, until: { FileManager.default.fileExists(atPath: path + "/munge/socket") }) {
                Cluster.stop(daemons)
                Issue.record("munged made no socket: \(Cluster.tail(directory, "munge/log"))")
                throw ClusterError()
            }
            try launch("/usr/sbin/slurmctld", ["-D", "-i", "-f", configuration.path], log: "slurmctld.log")
            try launch("/usr/sbin/slurmd", ["-D", "-f", configuration.path], log: "slurmd.log")
            let cluster = Cluster(directory: directory, configuration: configuration, environment: environment, daemons: daemons)
            let ready = ResumeTests.wait(seconds: 30) {
                let info = try? ProcessRunner.run("/usr/bin/sinfo", ["-h", "-o", "%T"], environment: environment)
                if info?.stdout.contains("idle") == true { return true }
                usleep(250_000)
                return false
            }
            if !ready {
                cluster.stop()
                Issue.record("the node never became idle: \(cluster.log("slurmctld.log")) \(cluster.log("slurmd.log"))")
                throw ClusterError()
            }
            return cluster
        }

        /// The last lines of one of the cluster's logs, for failure messages.
        func log(_ name: String) -> String { Self.tail(directory, name) }

        static func tail(_ directory: URL, _ name: String) -> String {
            let text = (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").suffix(5).joined(separator: " | ")
        }

        /// Stops slurmd, slurmctld and munged: SIGTERM, then SIGKILL after 10 s.
        func stop() { Self.stop(daemons) }

        static func stop(_ pids: [pid_t]) {
            for pid in pids.reversed() where alive(pid) {
                kill(pid, SIGTERM)
                if !ResumeTests.wait(seconds: 10, until: { !alive(pid) }) { kill(pid, SIGKILL) }
            }
        }

        /// True while `pid` runs (a zombie left for init to reap counts as gone).
        static func alive(_ pid: pid_t) -> Bool {
            guard kill(pid, 0) == 0 else { return false }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
        }
    }

    struct ClusterError: Error {}

    @Test("sbatch --array=0-2 of deploy/slurm/blindfold-array.sbatch, then the afterok merge job: equals one scan")
    func arrayThenMerge() throws {
        let workspace = try TemporaryDirectory("slurm")
        defer { workspace.remove() }
        let cluster = try Cluster.start(in: workspace.child("cluster"))
        defer { cluster.stop() }
        let deploy = TestEnvironment.repository.appendingPathComponent("deploy/slurm")
        let out = workspace.child("out")
        var environment = cluster.environment
        environment["ROOTS"] = TestEnvironment.evidence.path + " " + TestEnvironment.hashsets.path
        environment["OUT_BASE"] = out.path
        environment["SHARDS"] = "3"
        environment["BLINDFOLD_BIN"] = TestEnvironment.binary.deletingLastPathComponent().path
        environment["BLINDFOLD_ARGS"] = TestEnvironment.fixtureSetArguments.joined(separator: " ")
        let logs = workspace.path + "/%x-%A_%a.log"
        let array = try ProcessRunner.run(
            "/usr/bin/sbatch",
            ["--parsable", "--array=0-2", "--chdir", workspace.path, "--output", logs, deploy.path + "/blindfold-array.sbatch"],
            environment: environment)
        try #require(array.exitCode == 0, "sbatch: \(array.stderr)")
        let arrayID = array.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        let merge = try ProcessRunner.run(
            "/usr/bin/sbatch",
            ["--wait", "--dependency=afterok:\(arrayID)", "--chdir", workspace.path, "--output", workspace.path + "/merge.log",
             deploy.path + "/blindfold-merge.sbatch"],
            environment: environment)
        let jobLogs = (try? FileManager.default.contentsOfDirectory(atPath: workspace.path))?.filter { $0.hasSuffix(".log") }
            .compactMap { try? String(contentsOfFile: workspace.path + "/" + $0, encoding: .utf8) }.joined(separator: " | ") ?? ""
        try #require(merge.exitCode == 0, "merge job: \(merge.stderr) \(jobLogs) \(cluster.log("slurmctld.log"))")
        for index in 0..<3 {
            #expect(FileManager.default.fileExists(atPath: out.path + "/shard-\(index)/manifest.jsonl"))
        }
        let single = workspace.child("single")
        _ = try ProcessRunner.blindfold(
            ["scan", TestEnvironment.evidence.path, TestEnvironment.hashsets.path, "--out", single.path]
                + TestEnvironment.fixtureSetArguments)
        try ShardTests.checkMerged(out.appendingPathComponent("merged"), equals: single)
    }
}
