//! Hostile Protobuf input and hostile surroundings, through the binary: file names that look
//! like protoc options, absurd nesting, inputs that blow protoc's memory or time, signals in the
//! middle of a run, an unusable TMPDIR, and a binary copied away from the machine that built it.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn contractdiff() -> Command {
    let mut cmd = Command::cargo_bin("contractdiff").expect("binary built");
    cmd.env("NO_COLOR", "1").env("CONTRACTDIFF_TODAY", "2026-06-01");
    cmd
}

/// A private TMPDIR, so what a run leaves behind can be seen.
fn private_tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// `contractdiff-*` entries left in `tmp`.
fn leftovers(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("contractdiff-"))
        .collect()
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// base/ and head/ folders under a temp dir.
fn pair(base: &[(&str, &str)], head: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("base"), base);
    write(&dir.path().join("head"), head);
    dir
}

fn run_json(cmd: &mut Command, dir: &Path) -> (i32, Value, String) {
    let out = cmd.args(["diff", "base", "head", "--format", "json"]).current_dir(dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
    (out.status.code().unwrap_or(-1), report, stderr)
}

/// (rule, file) of every change in the report.
fn changes(report: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for contract in report["contracts"].as_array().into_iter().flatten() {
        for change in contract["changes"].as_array().into_iter().flatten() {
            let file = change["base"]["file"].as_str().or(change["head"]["file"].as_str()).unwrap_or("");
            found.push((change["rule"].as_str().unwrap_or("").to_string(), file.to_string()));
        }
    }
    found
}

fn editions(package: &str, body: &str) -> String {
    format!("edition = \"2023\";\npackage {package};\n{body}\n")
}

#[cfg(unix)]
fn executable(path: &Path, script: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn file_names_that_look_like_protoc_options_are_compared_not_obeyed() {
    // Editions files: protoc compiles them. Were a name read as an option, `--x_out` would run
    // `protoc-gen-x` from PATH (ours leaves a mark), `--descriptor_set_out` would steal the
    // output and `-I`/`--proto_path` would add a search path.
    let names = ["--x_out=.proto", "--plugin=protoc-gen-x=x.proto", "--descriptor_set_out=stolen.proto", "-I..proto"];
    let dir = tempfile::tempdir().unwrap();
    for (i, name) in names.iter().enumerate() {
        let base = editions("evil", &format!("message M{i} {{ int32 a = 1; int32 b = 2; }}"));
        write(&dir.path().join("base"), &[(name, &base)]);
        write(&dir.path().join("head"), &[(name, &editions("evil", &format!("message M{i} {{ int32 a = 1; }}")))]);
    }
    let bin = tempfile::tempdir().unwrap();
    let mark = bin.path().join("plugin-ran");
    executable(&bin.path().join("protoc-gen-x"), &format!("#!/bin/sh\ntouch '{}'\n", mark.display()));
    let path = format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap_or_default());
    let tmp = private_tmp();
    let (code, report, stderr) = run_json(contractdiff().env("PATH", path).env("TMPDIR", tmp.path()), dir.path());
    assert_eq!(code, 1, "{report}\n{stderr}");
    assert_eq!(report["errors"].as_array().map_or(0, Vec::len), 0, "{report}");
    let found = changes(&report);
    for name in names {
        let removed = ("protobuf.field-no-delete".to_string(), name.to_string());
        assert!(found.contains(&removed), "{name}: its removed field is not reported: {found:?}");
    }
    assert!(!mark.exists(), "a plugin ran");
    for side in ["base", "head"] {
        let mut listed: Vec<String> = std::fs::read_dir(dir.path().join(side))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        listed.sort();
        let mut want: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        want.sort();
        assert_eq!(listed, want, "something was written into {side}/");
    }
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

/// `depth` nested proto2 groups.
fn nested_groups(depth: usize) -> String {
    let mut text = String::from("syntax = \"proto2\";\npackage deep;\nmessage M {\n");
    for i in 0..depth {
        text.push_str(&format!("optional group G{i} = 1 {{\n"));
    }
    text.push_str(&"}\n".repeat(depth + 1));
    text
}

#[test]
fn absurd_nesting_is_refused_at_its_place_before_any_compiler_sees_it() {
    let nested_messages = |depth: usize| {
        format!(
            "syntax = \"proto3\";\npackage deep;\n{}{}",
            (0..depth).map(|i| format!("message M{i} {{\n")).collect::<String>(),
            "}\n".repeat(depth)
        )
    };
    // protoc overflows its stack on nested option values (SIGSEGV at 100,000 levels).
    let nested_option = |depth: usize| {
        format!(
            "syntax = \"proto2\";\npackage deep;\nimport \"google/protobuf/descriptor.proto\";\n\
             message X {{ optional X a = 1; }}\nextend google.protobuf.FileOptions {{ optional X x = 50000; }}\n\
             option (x) = {}{{}}{};\n",
            "{ a ".repeat(depth),
            " }".repeat(depth)
        )
    };
    let cases = [
        ("5,000 nested groups", nested_groups(5_000), (103, 24)),
        ("100,000 nested messages", nested_messages(100_000), (103, 14)),
        ("100,000 nested option values", nested_option(100_000), (6, 14 + 4 * 100)),
    ];
    for (what, text, (line, column)) in cases {
        let dir = pair(&[("a.proto", "syntax = \"proto3\";\npackage deep;\n")], &[("a.proto", &text)]);
        let started = Instant::now();
        let (code, report, stderr) = run_json(&mut contractdiff(), dir.path());
        assert_eq!(code, 2, "{what}: {report}\n{stderr}");
        let error = &report["errors"][0];
        assert_eq!(error["file"], "a.proto", "{what}: {report}");
        assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(line), Some(column)), "{what}: {report}");
        assert!(error["message"].as_str().unwrap_or("").contains("nested more than 100 levels"), "{what}: {report}");
        assert!(started.elapsed() < Duration::from_secs(20), "{what}: the refusal should not need a compiler");
    }
    // Well below the limit, protoc's own refusal (it nests messages 32 deep) still speaks.
    let dir = pair(&[("a.proto", "syntax = \"proto3\";\npackage deep;\n")], &[("a.proto", &nested_messages(40))]);
    let (code, report, _) = run_json(&mut contractdiff(), dir.path());
    assert_eq!(code, 2, "{report}");
    assert!(report["errors"][0]["message"].as_str().unwrap_or("").contains("recursion limit"), "{report}");
}

/// An editions file (so protoc compiles it) with `fields` fields.
fn big_editions_file(fields: usize) -> String {
    let body: String = (0..fields)
        .map(|i| {
            let number = if i + 1 >= 19_000 { i + 1001 } else { i + 1 };
            format!("  int32 f{i} = {number};\n")
        })
        .collect();
    editions("big", &format!("message M {{\n{body}}}"))
}

#[test]
fn protoc_running_out_of_its_memory_limit_is_an_input_error() {
    let head = big_editions_file(20_000);
    let dir = pair(&[("big.proto", &big_editions_file(19_999))], &[("big.proto", &head)]);
    let tmp = private_tmp();
    let (code, report, stderr) =
        run_json(contractdiff().env("CONTRACTDIFF_PROTOC_MEMORY_MB", "32").env("TMPDIR", tmp.path()), dir.path());
    assert_eq!(code, 2, "{report}\n{stderr}");
    let error = &report["errors"][0];
    assert!(error["file"].as_str().unwrap_or("").ends_with("big.proto"), "{report}");
    assert!(error["message"].as_str().unwrap_or("").contains("memory limit (32 MB)"), "{report}");
    assert!(error["hint"].as_str().unwrap_or("").contains("CONTRACTDIFF_PROTOC_MEMORY_MB"), "{report}");
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    // Under the default limit the same pair compiles: it was the limit that stopped it.
    let (code, report, stderr) = run_json(&mut contractdiff(), dir.path());
    assert_eq!(code, 0, "{report}\n{stderr}");
    assert_eq!(report["errors"].as_array().map_or(0, Vec::len), 0, "{report}");
    assert!(!changes(&report).is_empty(), "the added field: {report}");
}

#[cfg(unix)]
#[test]
fn protoc_running_past_its_time_limit_is_killed_and_reported() {
    let bin = tempfile::tempdir().unwrap();
    let (fake, pids) = sleeping_protoc(bin.path());
    let dir = editions_change();
    let tmp = private_tmp();
    let started = Instant::now();
    let (code, report, stderr) = run_json(
        contractdiff()
            .env("CONTRACTDIFF_PROTOC", &fake)
            .env("CONTRACTDIFF_PROTOC_TIMEOUT_SECS", "1")
            .env("TMPDIR", tmp.path()),
        dir.path(),
    );
    assert!(started.elapsed() < Duration::from_secs(30), "the time limit did not stop protoc");
    assert_eq!(code, 2, "{report}\n{stderr}");
    let error = &report["errors"][0];
    assert!(error["file"].as_str().unwrap_or("").ends_with("a.proto"), "{report}");
    assert!(error["message"].as_str().unwrap_or("").contains("time limit (1 s)"), "{report}");
    for pid in std::fs::read_to_string(&pids).unwrap().lines() {
        assert!(!alive(pid.trim().parse().unwrap()), "protoc {pid} still runs");
    }
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

/// A protoc that never answers, in `dir`; `exec` keeps one process, whose pid it appends to the
/// file returned beside it.
#[cfg(unix)]
fn sleeping_protoc(dir: &Path) -> (PathBuf, PathBuf) {
    let (fake, pids) = (dir.join("protoc"), dir.join("pids"));
    executable(&fake, &format!("#!/bin/sh\necho $$ >> '{}'\nexec sleep 60\n", pids.display()));
    (fake, pids)
}

/// An editions module with one change: protoc has to compile it.
fn editions_change() -> tempfile::TempDir {
    pair(&[("a.proto", &editions("p", "message A {}"))], &[("a.proto", &editions("p", "message B {}"))])
}

#[cfg(unix)]
fn alive(pid: i32) -> bool {
    // A zombie is not running: only a process we could still signal and that is not one counts.
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let zombie = status.lines().any(|l| l.starts_with("State:") && l.contains('Z'));
    // SAFETY: signal 0 only checks that the process exists.
    unsafe { libc::kill(pid, 0) == 0 && !zombie }
}

#[cfg(unix)]
#[test]
fn a_signal_mid_run_removes_the_temporary_folders_and_stops_protoc() {
    for (signal, code) in [(libc::SIGTERM, 143), (libc::SIGINT, 130)] {
        let bin = tempfile::tempdir().unwrap();
        let (fake, pids) = sleeping_protoc(bin.path());
        let dir = editions_change();
        let tmp = private_tmp();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("contractdiff"))
            .args(["diff", "base", "head"])
            .current_dir(dir.path())
            .env("CONTRACTDIFF_PROTOC", &fake)
            .env("TMPDIR", tmp.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait until protoc runs: the temporary folders exist then.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !pids.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(pids.exists(), "protoc never started");
        assert!(!leftovers(tmp.path()).is_empty(), "nothing to clean up: the test would prove nothing");
        // SAFETY: a signal to the child we started.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "signal {signal}");
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new(), "signal {signal}");
        for pid in std::fs::read_to_string(&pids).unwrap().lines() {
            let pid: i32 = pid.trim().parse().unwrap();
            let deadline = Instant::now() + Duration::from_secs(5);
            while alive(pid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            assert!(!alive(pid), "protoc {pid} outlived the run (signal {signal})");
        }
    }
}

#[test]
fn an_unusable_tmpdir_is_named_with_the_fix() {
    let dir = pair(&[("a.proto", &editions("p", "message A {}"))], &[("a.proto", &editions("p", "message B {}"))]);
    let not_a_folder = dir.path().join("a-file");
    std::fs::write(&not_a_folder, "").unwrap();
    let (code, report, stderr) = run_json(contractdiff().env("TMPDIR", &not_a_folder), dir.path());
    assert_eq!(code, 2, "{report}\n{stderr}");
    let error = report["errors"][0].to_string();
    assert!(error.contains(&not_a_folder.display().to_string()), "{error}");
    assert!(error.contains("set TMPDIR to a writable folder"), "{error}");
}

/// Run `program args` in a private mount namespace after `mounts` (`mount` arguments); `None`
/// when this machine does not allow it.
#[cfg(target_os = "linux")]
fn in_namespace(
    mounts: &[Vec<String>],
    program: &Path,
    args: &[&str],
    dir: &Path,
    envs: &[(&str, &Path)],
) -> Option<std::process::Output> {
    let mut script = String::from("set -e\n");
    for mount in mounts {
        script.push_str("mount");
        for arg in mount {
            script.push_str(&format!(" '{arg}'"));
        }
        script.push('\n');
    }
    script.push_str("exec \"$@\"\n");
    for namespace in [&["--mount"][..], &["--mount", "--map-root-user"][..]] {
        let mut cmd = std::process::Command::new("unshare");
        cmd.args(namespace).args(["--propagation", "private", "sh", "-c", &script, "sh"]).arg(program).args(args);
        cmd.current_dir(dir).env("NO_COLOR", "1").env("CONTRACTDIFF_TODAY", "2026-06-01");
        for (key, value) in envs {
            cmd.env(key, value);
        }
        let Ok(out) = cmd.output() else { continue };
        // unshare or mount refused: try the next way, else give up.
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("unshare failed")
            || stderr.contains("mount:")
            || out.status.code() == Some(1) && out.stdout.is_empty()
        {
            continue;
        }
        return Some(out);
    }
    None
}

#[cfg(target_os = "linux")]
#[test]
fn a_noexec_tmpdir_is_named_with_the_fix() {
    let dir = pair(&[("a.proto", &editions("p", "message A {}"))], &[("a.proto", &editions("p", "message B {}"))]);
    let tmp = private_tmp();
    let mount = vec!["-t", "tmpfs", "-o", "noexec", "tmpfs"]
        .into_iter()
        .map(String::from)
        .chain([tmp.path().display().to_string()])
        .collect();
    let bin = assert_cmd::cargo::cargo_bin("contractdiff");
    let args = ["diff", "base", "head", "--format", "json"];
    let Some(out) = in_namespace(&[mount], &bin, &args, dir.path(), &[("TMPDIR", tmp.path())]) else {
        eprintln!("SKIPPED: a_noexec_tmpdir_is_named_with_the_fix: this machine allows no mount namespace");
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let error = report["errors"][0].to_string();
    assert!(error.contains("cannot run protoc from the temporary folder"), "{error}");
    assert!(error.contains(&tmp.path().display().to_string()), "{error}");
    assert!(error.contains("noexec") && error.contains("set TMPDIR"), "{error}");
}

/// Where protoc-bin-vendored kept protoc on the machine that built this binary.
fn build_machine_protoc_crate() -> PathBuf {
    let bin = PathBuf::from(env!("CONTRACTDIFF_BUILD_PROTOC_PATH"));
    // .../protoc-bin-vendored-<platform>-<version>/bin/protoc
    bin.parent().and_then(Path::parent).unwrap_or(&bin).to_path_buf()
}

#[test]
fn the_binary_needs_nothing_from_the_machine_that_built_it() {
    let crate_dir = build_machine_protoc_crate();
    let built = assert_cmd::cargo::cargo_bin("contractdiff");
    let bytes = std::fs::read(&built).unwrap();
    let needle = crate_dir.display().to_string();
    assert!(
        !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
        "the binary names {needle}, which exists only where it was built"
    );

    let away = tempfile::tempdir().unwrap();
    let copy = away.path().join("contractdiff");
    std::fs::copy(&built, &copy).unwrap();
    let (home, cargo_home, tmp) = (private_tmp(), private_tmp(), private_tmp());
    let base = editions("p", "message A { int32 a = 1; int32 b = 2; }");
    let good = pair(&[("a.proto", &base)], &[("a.proto", &editions("p", "message A { int32 a = 1; }"))]);
    let bad = pair(&[("a.proto", &base)], &[("a.proto", &editions("p", "message A { int32 a = 1 }"))]);
    let envs = [("HOME", home.path()), ("CARGO_HOME", cargo_home.path()), ("TMPDIR", tmp.path())];
    // The registry hidden under an empty tmpfs, when this machine allows a mount namespace.
    let registry = crate_dir.ancestors().find(|p| p.ends_with("registry")).unwrap_or(&crate_dir).to_path_buf();
    let hide = vec!["-t".to_string(), "tmpfs".into(), "tmpfs".into(), registry.display().to_string()];
    let run = |dir: &Path| -> (Option<i32>, String, String, bool) {
        let args = ["diff", "base", "head", "--format", "json"];
        #[cfg(target_os = "linux")]
        if let Some(out) = in_namespace(std::slice::from_ref(&hide), &copy, &args, dir, &envs) {
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            return (out.status.code(), text(&out.stdout), text(&out.stderr), true);
        }
        let mut cmd = std::process::Command::new(&copy);
        cmd.args(args).current_dir(dir).env("NO_COLOR", "1").env("CONTRACTDIFF_TODAY", "2026-06-01");
        for (key, value) in &envs {
            cmd.env(key, value);
        }
        let out = cmd.output().unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code(), text(&out.stdout), text(&out.stderr), false)
    };
    let (code, stdout, stderr, hidden) = run(good.path());
    if !hidden {
        eprintln!(
            "SKIPPED (part): the cargo registry could not be hidden (no mount namespace here); the copied binary \
             ran with HOME and CARGO_HOME empty, and contains no path into the registry"
        );
    }
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    assert_eq!(code, Some(1), "{report}\n{stderr}");
    let removed = ("protobuf.field-no-delete".to_string(), "a.proto".to_string());
    assert!(changes(&report).contains(&removed), "the removed field, found through protoc: {report}");
    // A syntax error in an editions file: protoc's own words.
    let (code, stdout, stderr, _) = run(bad.path());
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    assert_eq!(code, Some(2), "{report}\n{stderr}");
    let error = &report["errors"][0];
    assert_eq!((error["file"].as_str(), error["line"].as_u64()), (Some("a.proto"), Some(3)), "{report}");
    assert!(error["message"].as_str().unwrap_or("").starts_with("Expected \";\""), "{report}");
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}
