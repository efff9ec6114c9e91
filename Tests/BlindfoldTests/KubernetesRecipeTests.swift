import Foundation
import Testing

/// `deploy/kubernetes`: the Indexed Job and the merge Job, parsed and checked field by field
/// (no cluster here), and their pods' command lines run on this machine as Kubernetes would run
/// them, index by index: the merged manifest equals one scan's.
@Suite("Kubernetes recipe")
struct KubernetesRecipeTests {
    static let directory = TestEnvironment.repository.appendingPathComponent("deploy/kubernetes")

    /// The YAML documents of `file` as JSON objects (PyYAML, installed by .ci/install-deps).
    static func documents(_ file: String) throws -> [[String: Any]] {
        let path = directory.appendingPathComponent(file).path
        let script = "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))"
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, path])
        try #require(result.exitCode == 0, "PyYAML could not read \(file): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
    }

    /// The pod's container, its environment as a dictionary, its shell script.
    static func container(of job: [String: Any]) throws -> (env: [String: String], script: String, mounts: [[String: Any]], pod: [String: Any]) {
        let pod = try #require((job.object("spec")?.object("template"))?.object("spec"))
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        var env: [String: String] = [:]
        for variable in container["env"] as? [[String: Any]] ?? [] {
            if let name = variable.string("name"), let value = variable.string("value") { env[name] = value }
        }
        #expect(container["command"] as? [String] == ["/bin/sh", "-c"])
        let script = try #require((container["args"] as? [String])?.first)
        return (env, script, container["volumeMounts"] as? [[String: Any]] ?? [], pod)
    }

    @Test("Indexed Job: fields checked, every index's command run here, merged by the merge Job's command: equals one scan")
    func indexedJobRuns() throws {
        let job = try #require(try Self.documents("blindfold-indexed-job.yaml").first)
        #expect(job.string("apiVersion") == "batch/v1" && job.string("kind") == "Job")
        let spec = try #require(job.object("spec"))
        #expect(spec.string("completionMode") == "Indexed")
        let completions = try #require(spec.int("completions"))
        #expect((spec.int("parallelism") ?? 0) >= 1 && (spec.int("parallelism") ?? 0) <= completions)
        let shard = try Self.container(of: job)
        #expect(shard.env["SHARDS"] == String(completions), "SHARDS equals completions")
        #expect(shard.script.contains("--shard \"$SHARD/$SHARDS\"") && shard.script.contains("$JOB_COMPLETION_INDEX"))
        #expect(shard.script.contains("scan --resume"), "a retried index resumes its shard")
        #expect(shard.pod.string("restartPolicy") == "Never")
        let mounts = Dictionary(uniqueKeysWithValues: shard.mounts.compactMap { mount in
            mount.string("name").map { ($0, mount) }
        })
        #expect(mounts["evidence"]?["readOnly"] as? Bool == true, "evidence mounted read-only")
        #expect(mounts["sets"]?["readOnly"] as? Bool == true, "hash sets mounted read-only")
        #expect(mounts["out"]?["readOnly"] as? Bool != true)
        let volumes = shard.pod["volumes"] as? [[String: Any]] ?? []
        for name in ["evidence", "sets"] {
            let claim = volumes.first { $0.string("name") == name }?.object("persistentVolumeClaim")
            #expect(claim?["readOnly"] as? Bool == true, "\(name) claim read-only")
        }
        #expect(shard.env["ROOTS"].map { mounts["evidence"]?.string("mountPath") == $0 } == true)
        #expect(shard.env["OUT_BASE"]?.hasPrefix(mounts["out"]?.string("mountPath") ?? "?") == true)

        let merge = try #require(try Self.documents("blindfold-merge-job.yaml").first)
        #expect(merge.string("kind") == "Job" && merge.object("spec")?.string("completionMode") == nil)
        let merger = try Self.container(of: merge)
        #expect(merger.env["SHARDS"] == String(completions) && merger.env["OUT_BASE"] == shard.env["OUT_BASE"])

        // The pods' scripts, run here with the mounts replaced by the fixtures and a temp folder.
        let workspace = try TemporaryDirectory("k8s-recipe")
        defer { workspace.remove() }
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = TestEnvironment.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["SHARDS"] = String(completions)
        environment["ROOTS"] = TestEnvironment.evidence.path
        environment["OUT_BASE"] = workspace.child("out").path
        environment["BLINDFOLD_ARGS"] = TestEnvironment.fixtureSetArguments.joined(separator: " ")
        for index in 0..<completions {
            environment["JOB_COMPLETION_INDEX"] = String(index)
            let pod = try ProcessRunner.run("/bin/sh", ["-c", shard.script], environment: environment)
            #expect(pod.exitCode == 0, "index \(index): \(pod.stderr)")
        }
        environment["JOB_COMPLETION_INDEX"] = "0"
        let retry = try ProcessRunner.run("/bin/sh", ["-c", shard.script], environment: environment)
        #expect(retry.exitCode == 0 && retry.stdout.contains("already finished"), "a retry of a finished index")
        let merged = try ProcessRunner.run("/bin/sh", ["-c", merger.script], environment: environment)
        #expect(merged.exitCode == 0, "\(merged.stderr)")
        let single = workspace.child("single")
        _ = try ProcessRunner.blindfold(["scan", TestEnvironment.evidence.path, "--out", single.path] + TestEnvironment.fixtureSetArguments)
        try ShardTests.checkMerged(workspace.child("out/merged"), equals: single)
    }
}
