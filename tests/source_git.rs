//! Sources over real temporary git repositories built with the `git` CLI: ranges, merge bases,
//! the work tree, renames, shallow clones, bare repositories, and that nothing is ever written.

use contractdiff::config::Config;
use contractdiff::discover::{discover, pair, Pair};
use contractdiff::error::Error;
use contractdiff::formats::Kind;
use contractdiff::source::{range, Sides, Tree};
mod common;

use common::{git_in, Repo};

const V1: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: 1.0.0}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok}\n";

fn v2() -> String {
    V1.replace("1.0.0", "1.1.0")
}

/// What opening a range gives, or the git error it fails with.
trait Open {
    fn open(&self, range: Option<&str>) -> Sides;
    fn open_err(&self, range: Option<&str>) -> (String, String);
}

impl Open for Repo {
    fn open(&self, range: Option<&str>) -> Sides {
        range::open(range, self.path()).unwrap_or_else(|err| panic!("open {range:?}: {err:?}"))
    }

    fn open_err(&self, range: Option<&str>) -> (String, String) {
        match range::open(range, self.path()) {
            Ok(_) => panic!("open {range:?} should fail"),
            Err(Error::Git { message, hint }) => (message, hint.unwrap_or_default()),
            Err(other) => panic!("expected a git error, got {other:?}"),
        }
    }
}

fn text(tree: &dyn Tree, path: &str) -> Option<String> {
    tree.read(path).unwrap().map(|bytes| String::from_utf8(bytes).unwrap())
}

/// main: two commits. Returns the repo and both commit ids.
fn two_commits() -> (Repo, String, String) {
    let repo = Repo::new();
    repo.write("api/openapi.yaml", V1);
    repo.write("README.md", "pets\n");
    let first = repo.commit("v1");
    repo.write("api/openapi.yaml", &v2());
    let second = repo.commit("v2");
    (repo, first, second)
}

#[test]
fn two_dots_read_both_revisions_from_the_object_database() {
    let (repo, first, second) = two_commits();
    let sides = repo.open(Some("HEAD~1..HEAD"));
    assert_eq!(text(sides.base.as_ref(), "api/openapi.yaml").as_deref(), Some(V1));
    assert_eq!(text(sides.head.as_ref(), "api/openapi.yaml"), Some(v2()));
    assert_eq!(sides.base.commit(), Some(first.clone()));
    assert_eq!(sides.head.commit(), Some(second));
    assert_eq!(sides.base.label(), format!("HEAD~1 ({})", &first[..7]));
    assert_eq!(sides.base.list().unwrap(), ["README.md", "api/openapi.yaml"]);
    assert_eq!(sides.base.read("api/absent.yaml").unwrap(), None);
    assert_eq!(sides.base.read("api").unwrap(), None, "a folder is not a file");
    assert_eq!(sides.head.content_id("api/openapi.yaml"), Some(repo.rev("HEAD:api/openapi.yaml")));
}

#[test]
fn an_empty_side_means_head_and_paths_are_relative_to_the_repository_root() {
    let (repo, first, second) = two_commits();
    let sides = range::open(Some("main~1.."), &repo.path().join("api")).unwrap();
    assert_eq!(sides.base.commit(), Some(first));
    assert_eq!(sides.head.commit(), Some(second));
    assert!(sides.head.read("api/openapi.yaml").unwrap().is_some(), "root-relative from a subfolder");
}

#[test]
fn three_dots_compare_the_merge_base_with_the_head() {
    let (repo, _, fork_point) = two_commits();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("api/openapi.yaml", &v2().replace("ok", "fine"));
    let feature = repo.commit("feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README.md", "pets, moved on\n");
    let main = repo.commit("main moves on");

    let sides = repo.open(Some("main...feature"));
    assert_eq!(sides.base.commit(), Some(fork_point.clone()));
    assert_eq!(sides.head.commit(), Some(feature.clone()));
    assert_eq!(text(sides.base.as_ref(), "README.md").as_deref(), Some("pets\n"));

    let sides = repo.open(Some("main..feature"));
    assert_eq!(sides.base.commit(), Some(main), "two dots compare the tips");
    assert_eq!(sides.head.commit(), Some(feature));
}

#[test]
fn a_single_revision_compares_with_the_work_tree_as_git_status_sees_it() {
    let (repo, first, _) = two_commits();
    repo.write(".gitignore", "dist/\n*.log\n");
    repo.write("api/openapi.yaml", "openapi: 3.0.3 # edited, not staged\n");
    repo.write("api/new.yaml", "openapi: 3.1.0\n");
    repo.write("dist/openapi.json", "{\"openapi\": \"3.0.0\"}");
    repo.write("debug.log", "x\n");
    repo.git(&["rm", "-q", "--cached", "README.md"]); // untracked now, still on disk
    std::fs::create_dir_all(repo.path().join("gone")).unwrap();

    let sides = repo.open(Some("HEAD~1"));
    assert_eq!(sides.base.commit(), Some(first));
    assert_eq!(sides.head.label(), "work tree");
    assert_eq!(sides.head.commit(), None);
    assert_eq!(sides.head.list().unwrap(), [".gitignore", "README.md", "api/new.yaml", "api/openapi.yaml"]);
    assert_eq!(text(sides.head.as_ref(), "api/openapi.yaml").as_deref(), Some("openapi: 3.0.3 # edited, not staged\n"));

    std::fs::remove_file(repo.path().join("api/new.yaml")).unwrap();
    repo.git(&["add", "README.md"]);
    std::fs::remove_file(repo.path().join("README.md")).unwrap();
    let sides = repo.open(None);
    assert_eq!(sides.base.commit(), Some(repo.rev("HEAD")), "no range: HEAD against the work tree");
    assert_eq!(sides.head.list().unwrap(), [".gitignore", "api/openapi.yaml"], "deleted files are absent");
}

#[test]
fn the_work_tree_never_leaves_its_root() {
    let (repo, _, _) = two_commits();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "openapi: 3.0.0\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), repo.path().join("api/link.yaml")).unwrap();
    let sides = repo.open(None);
    assert!(!sides.head.list().unwrap().contains(&"api/link.yaml".to_string()));
    // Reading through the link is refused, and the error says where it leads.
    let err = sides.head.read("api/link.yaml").unwrap_err().to_string();
    assert!(err.contains("api/link.yaml leads to") && err.contains("outside"), "{err}");
    assert_eq!(sides.head.read("../secret.yaml").unwrap(), None);
    assert_eq!(sides.head.read("/etc/passwd").unwrap(), None);
}

#[test]
fn nothing_in_the_repository_changes() {
    let (repo, _, _) = two_commits();
    repo.write("api/openapi.yaml", "openapi: 3.0.3\n");
    repo.write("untracked.yaml", "openapi: 3.0.3\n");
    repo.git(&["add", "untracked.yaml"]);
    repo.write("untracked.yaml", "openapi: 3.1.0\n");
    let before = repo.state();
    std::thread::sleep(std::time::Duration::from_millis(20));
    for range in [None, Some("HEAD~1"), Some("HEAD~1..HEAD"), Some("HEAD~1...HEAD")] {
        let sides = repo.open(range);
        for tree in [sides.base.as_ref(), sides.head.as_ref()] {
            for path in tree.list().unwrap() {
                tree.read(&path).unwrap();
                tree.content_id(&path);
            }
        }
    }
    assert_eq!(repo.state(), before);
}

#[test]
fn a_renamed_contract_pairs_with_its_old_path() {
    let repo = Repo::new();
    repo.write("api/pets.yaml", V1);
    repo.write("api/other.yaml", &V1.replace("/pets", "/owners").replace("Pets", "Owners"));
    repo.commit("v1");
    std::fs::create_dir(repo.path().join("spec")).unwrap();
    repo.git(&["mv", "api/pets.yaml", "spec/pets-api.yaml"]);
    repo.write("spec/pets-api.yaml", &v2());
    repo.commit("move");

    let sides = repo.open(Some("HEAD~1..HEAD"));
    let config = Config::default();
    let base = discover(sides.base.as_ref(), &config, None).unwrap().contracts;
    let head = discover(sides.head.as_ref(), &config, None).unwrap().contracts;
    let pairs = pair(sides.base.as_ref(), &base, sides.head.as_ref(), &head).unwrap();
    let paired = |b: &str, h: &str| Pair { kind: Kind::Openapi, base: Some(b.into()), head: Some(h.into()) };
    assert_eq!(pairs, [paired("api/other.yaml", "api/other.yaml"), paired("api/pets.yaml", "spec/pets-api.yaml")]);
}

#[test]
fn outside_a_repository_the_error_points_to_contractdiff_diff() {
    let dir = tempfile::tempdir().unwrap();
    let Err(Error::Git { message, hint }) = range::open(None, dir.path()) else { panic!("expected a git error") };
    assert!(message.contains("not inside a git repository"), "{message}");
    assert!(hint.unwrap().contains("contractdiff diff OLD NEW"));
}

#[test]
fn an_unknown_revision_is_named() {
    let (repo, _, _) = two_commits();
    let (message, hint) = repo.open_err(Some("main..no-such-branch"));
    assert!(message.contains("unknown revision `no-such-branch`"), "{message}");
    assert!(hint.contains("git fetch"), "{hint}");
    assert!(!message.contains("shallow"), "{message}");
    let (message, hint) = repo.open_err(Some("HEAD~5"));
    assert!(message.contains("`HEAD~5`"), "{message}");
    assert!(hint.contains("git log"), "not `git fetch origin HEAD~5`: {hint}");
}

#[test]
fn a_bare_repository_compares_revisions_but_has_no_work_tree() {
    let (repo, first, second) = two_commits();
    let bare = tempfile::tempdir().unwrap();
    git_in(bare.path(), &["clone", "-q", "--bare", repo.path().to_str().unwrap(), "b.git"]);
    let bare = bare.path().join("b.git");

    let sides = range::open(Some("main~1..main"), &bare).unwrap();
    assert_eq!((sides.base.commit(), sides.head.commit()), (Some(first), Some(second)));
    for range in [None, Some("main~1")] {
        let Err(Error::Git { message, hint }) = range::open(range, &bare) else { panic!("expected a git error") };
        assert!(message.contains("bare"), "{message}");
        assert!(hint.unwrap().contains("main..HEAD"));
    }
}

/// `git clone --depth 1` of `repo` with every branch (as actions/checkout does by default, but
/// with all branch tips so that a merge base is searched for and not found).
fn shallow_clone(repo: &Repo) -> tempfile::TempDir {
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git_in(clone.path(), &["clone", "-q", "--depth", "1", "--no-single-branch", &url, "."]);
    clone
}

fn assert_shallow_error(result: contractdiff::error::Result<Sides>) {
    let Err(Error::Git { message, hint }) = result else { panic!("expected a git error") };
    assert!(message.contains("shallow clone"), "{message}");
    let hint = hint.unwrap();
    assert!(hint.contains("fetch-depth: 0") && hint.contains("git fetch --unshallow"), "{hint}");
}

#[test]
fn a_shallow_clone_says_why_history_is_missing() {
    let (repo, _, _) = two_commits();
    let clone = shallow_clone(&repo);
    assert!(range::open(Some("HEAD"), clone.path()).is_ok(), "the fetched commit is readable");
    assert_shallow_error(range::open(Some("HEAD~1..HEAD"), clone.path()));
}

#[test]
fn a_shallow_clone_says_why_the_merge_base_is_missing() {
    let (repo, _, _) = two_commits();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("api/openapi.yaml", "openapi: 3.1.0\n");
    repo.commit("feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README.md", "main moves on\n");
    repo.commit("main");
    let clone = shallow_clone(&repo);
    assert_shallow_error(range::open(Some("origin/main...origin/feature"), clone.path()));
}

// ---- History for Avro's transitive levels ----

use contractdiff::source::{git, FsTree, GitTree, Version};
use std::collections::BTreeMap;

/// `git add -A && git commit` with both dates set to `seconds` since the epoch, so that the
/// history's order does not depend on how fast the test runs.
fn commit_at(repo: &Repo, message: &str, seconds: i64) -> String {
    repo.git(&["add", "-A"]);
    let date = format!("@{seconds} +0000");
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(["commit", "-q", "--allow-empty", "-m", message])
        .current_dir(repo.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    repo.rev("HEAD")
}

fn tree_at(repo: &Repo, rev: &str) -> GitTree {
    GitTree::open(&git::discover_repo(repo.path()).unwrap(), rev).unwrap()
}

fn history(tree: &dyn Tree, paths: &[&str]) -> BTreeMap<String, Vec<Version>> {
    let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
    tree.history(&paths).unwrap_or_else(|err| panic!("history: {err:?}"))
}

/// (commit, text) of each version, checking that each content id is the blob git has.
fn versions(repo: &Repo, found: &BTreeMap<String, Vec<Version>>, path: &str) -> Vec<(String, String)> {
    let versions = found.get(path).unwrap_or_else(|| panic!("{path} missing from {found:?}"));
    versions
        .iter()
        .map(|v| {
            assert_eq!(v.content_id, repo.rev(&format!("{}:{path}", v.commit)), "{path} at {}", v.commit);
            (v.commit.clone(), String::from_utf8(v.bytes.clone()).unwrap())
        })
        .collect()
}

fn owned(pairs: &[(&String, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(c, t)| (c.to_string(), t.to_string())).collect()
}

#[test]
fn history_lists_each_earlier_content_once_newest_first() {
    let repo = Repo::new();
    repo.write("schemas/user.avsc", "A");
    repo.write("schemas/same.avsc", "S");
    let c1 = commit_at(&repo, "A", 1_000);
    repo.write("schemas/user.avsc", "B");
    let c2 = commit_at(&repo, "B", 2_000);
    repo.write("schemas/user.avsc", "A"); // reverted: the same blob as c1's
    let c3 = commit_at(&repo, "revert", 3_000);
    repo.write("README.md", "unrelated\n");
    let c4 = commit_at(&repo, "unrelated", 4_000);
    repo.write("schemas/user.avsc", "C");
    commit_at(&repo, "C", 5_000);

    let found = history(&tree_at(&repo, "HEAD"), &["schemas/user.avsc", "schemas/same.avsc", "schemas/none.avsc"]);
    // A is named by the newest commit that still has it, c4, not by c3 or c1.
    assert_eq!(versions(&repo, &found, "schemas/user.avsc"), owned(&[(&c4, "A"), (&c2, "B")]));
    assert_eq!(versions(&repo, &found, "schemas/same.avsc"), [], "never changed: no earlier version");
    assert_eq!(versions(&repo, &found, "schemas/none.avsc"), [], "every requested path is answered");
    assert_eq!(found.len(), 3);
    assert_ne!(c1, c3);
}

#[test]
fn history_leaves_out_the_content_the_side_has_itself() {
    let repo = Repo::new();
    repo.write("a.avsc", "A");
    commit_at(&repo, "A", 1_000);
    repo.write("a.avsc", "B");
    let c2 = commit_at(&repo, "B", 2_000);
    repo.write("a.avsc", "A");
    commit_at(&repo, "back to A", 3_000);
    let found = history(&tree_at(&repo, "HEAD"), &["a.avsc"]);
    assert_eq!(versions(&repo, &found, "a.avsc"), owned(&[(&c2, "B")]), "A is this side's own content");

    let found = history(&tree_at(&repo, "HEAD~1"), &["a.avsc"]);
    let c1 = repo.rev("HEAD~2");
    assert_eq!(versions(&repo, &found, "a.avsc"), owned(&[(&c1, "A")]), "only what is reachable from HEAD~1");
}

#[test]
fn history_follows_the_order_of_commits_not_of_clocks() {
    // Every commit in the same second: only the graph can order them.
    let repo = Repo::new();
    let mut commits = Vec::new();
    for text in ["A", "B", "A", "C", "D"] {
        repo.write("a.avsc", text);
        commits.push(commit_at(&repo, text, 1_000));
    }
    let found = history(&tree_at(&repo, "HEAD"), &["a.avsc"]);
    assert_eq!(versions(&repo, &found, "a.avsc"), owned(&[(&commits[3], "C"), (&commits[2], "A"), (&commits[1], "B")]));
}

#[test]
fn history_is_by_path_and_skips_commits_without_the_file() {
    let repo = Repo::new();
    repo.write("README.md", "r\n");
    commit_at(&repo, "no schema yet", 1_000);
    repo.write("old/event.avsc", "X");
    let c2 = commit_at(&repo, "X", 2_000);
    std::fs::remove_file(repo.path().join("old/event.avsc")).unwrap();
    commit_at(&repo, "removed", 3_000);
    repo.write("old/event.avsc", "Y");
    let c4 = commit_at(&repo, "Y, back", 4_000);
    std::fs::create_dir(repo.path().join("new")).unwrap();
    repo.git(&["mv", "old/event.avsc", "new/event.avsc"]);
    let c5 = commit_at(&repo, "renamed away", 5_000);
    repo.write("new/event.avsc", "Z");
    commit_at(&repo, "Z", 6_000);

    let found = history(&tree_at(&repo, "HEAD"), &["new/event.avsc", "old/event.avsc"]);
    assert_eq!(versions(&repo, &found, "new/event.avsc"), owned(&[(&c5, "Y")]), "renames are not followed");
    assert_eq!(versions(&repo, &found, "old/event.avsc"), owned(&[(&c4, "Y"), (&c2, "X")]));
}

#[test]
fn history_takes_every_parent_of_a_merge() {
    let repo = Repo::new();
    repo.write("a.avsc", "A");
    repo.write("nested/deep/b.avsc", "b1");
    let c1 = commit_at(&repo, "A", 1_000);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("a.avsc", "F");
    repo.write("nested/deep/b.avsc", "b2");
    let feature = commit_at(&repo, "F on feature", 3_000);
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a.avsc", "M");
    let main = commit_at(&repo, "M on main", 2_000);
    repo.git(&["merge", "-q", "--no-ff", "--no-commit", "-s", "ours", "feature"]);
    repo.write("a.avsc", "merged");
    repo.write("nested/deep/b.avsc", "b2");
    commit_at(&repo, "merge", 4_000);
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "4");

    let found = history(&tree_at(&repo, "HEAD"), &["a.avsc", "nested/deep/b.avsc"]);
    assert_eq!(
        versions(&repo, &found, "a.avsc"),
        owned(&[(&feature, "F"), (&main, "M"), (&c1, "A")]),
        "the second parent's side counts, newest commit first"
    );
    assert_eq!(versions(&repo, &found, "nested/deep/b.avsc"), owned(&[(&main, "b1")]), "main still had b1");
}

#[test]
fn history_is_the_same_every_time() {
    let repo = Repo::new();
    for (i, text) in ["1", "2", "3"].iter().enumerate() {
        repo.write("x/a.avsc", text);
        repo.write("x/b.avsc", &format!("{text}{text}"));
        repo.write("y/c.avsc", "same"); // one blob shared by paths and commits
        repo.write("y/d.avsc", "same");
        commit_at(&repo, text, 1_000 + i as i64);
    }
    let paths = ["y/d.avsc", "x/b.avsc", "x/a.avsc", "y/c.avsc", "x/a.avsc"];
    let first = history(&tree_at(&repo, "HEAD"), &paths);
    for _ in 0..3 {
        assert_eq!(history(&tree_at(&repo, "HEAD"), &paths), first);
    }
    assert_eq!(first.keys().collect::<Vec<_>>(), ["x/a.avsc", "x/b.avsc", "y/c.avsc", "y/d.avsc"]);
    assert_eq!(versions(&repo, &first, "x/b.avsc").iter().map(|v| v.1.as_str()).collect::<Vec<_>>(), ["22", "11"]);
}

#[test]
fn history_is_empty_outside_git_and_for_the_work_tree() {
    let (repo, _, _) = two_commits();
    let sides = repo.open(Some("HEAD~1"));
    assert_eq!(history(sides.head.as_ref(), &["api/openapi.yaml"]), BTreeMap::new(), "work tree");
    let folder = FsTree::folder(repo.path()).unwrap();
    assert_eq!(history(&folder, &["api/openapi.yaml"]), BTreeMap::new());
    assert_eq!(history(sides.base.as_ref(), &[]), BTreeMap::new(), "nothing asked, nothing walked");
}

#[test]
fn history_in_a_shallow_clone_is_an_error_that_says_how_to_fetch_it() {
    let (repo, _, _) = two_commits();
    repo.write("api/openapi.yaml", "v3");
    repo.commit("v3");
    let clone = shallow_clone(&repo);
    let head = GitTree::open(&git::discover_repo(clone.path()).unwrap(), "HEAD").unwrap();
    assert_eq!(history(&head, &[]), BTreeMap::new(), "no history asked for: no error");
    let Err(Error::Git { message, hint }) = head.history(&["api/openapi.yaml".to_string()]) else {
        panic!("expected a git error")
    };
    assert!(message.contains("shallow clone") && message.contains("transitive"), "{message}");
    assert!(message.contains(&repo.rev("HEAD")[..7]), "names where the history is cut: {message}");
    let hint = hint.unwrap();
    assert!(hint.contains("fetch-depth: 0") && hint.contains("git fetch --unshallow"), "{hint}");

    // Deeper, but still cut.
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git_in(clone.path(), &["clone", "-q", "--depth", "2", &url, "."]);
    let head = GitTree::open(&git::discover_repo(clone.path()).unwrap(), "HEAD").unwrap();
    assert!(matches!(head.history(&["api/openapi.yaml".to_string()]), Err(Error::Git { .. })));

    // Unshallowed, the same history as the original.
    git_in(clone.path(), &["fetch", "-q", "--unshallow"]);
    let head = GitTree::open(&git::discover_repo(clone.path()).unwrap(), "HEAD").unwrap();
    let texts: Vec<String> = history(&head, &["api/openapi.yaml"])["api/openapi.yaml"]
        .iter()
        .map(|v| String::from_utf8(v.bytes.clone()).unwrap())
        .collect();
    assert_eq!(texts, [v2(), V1.to_string()]);
}

/// A linear history of `commits` commits over `files` paths in ten folders, built with
/// `git fast-import`: the first commit adds every file, each later one changes up to three, and every
/// seventh change restores a file's first content. Returns the commit ids, oldest first, and
/// each path's changes as (commit index, content).
fn large_history(repo: &Repo, files: usize, commits: usize) -> (Vec<String>, Vec<Vec<(usize, String)>>) {
    use std::fmt::Write as _;
    let path = |i: usize| format!("schemas/d{:02}/entity_{i:04}.avsc", i % 10);
    let first = |i: usize| format!("{{\"type\": \"record\", \"name\": \"E{i}\", \"fields\": []}}\n");
    let mut changes: Vec<Vec<(usize, String)>> = (0..files).map(|i| vec![(0, first(i))]).collect();
    let mut stream = String::new();
    for k in 0..commits {
        let _ = write!(
            stream,
            "commit refs/heads/main\nmark :{}\ncommitter t <t@example.com> {} +0000\n",
            k + 1,
            1_000 + k
        );
        let _ = write!(stream, "data 2\nc{}\n", k % 10);
        if k > 0 {
            let _ = writeln!(stream, "from :{k}");
        }
        // One file anywhere, and two among the first hundred, which so change many times.
        let mut touched: Vec<usize> =
            if k == 0 { (0..files).collect() } else { vec![(k * 37) % files, (k * 7) % 50, 50 + (k * 11) % 50] };
        touched.sort();
        touched.dedup();
        for i in touched {
            let text = if k == 0 || k % 7 == 0 { first(i) } else { format!("{}// v{k}\n", first(i)) };
            if k > 0 {
                changes[i].push((k, text.clone()));
            }
            let _ = write!(stream, "M 100644 inline {}\ndata {}\n{text}\n", path(i), text.len());
        }
    }
    let marks = repo.path().join("../marks");
    let mut child = std::process::Command::new("git")
        .args(["fast-import", "--quiet", &format!("--export-marks={}", marks.display())])
        .current_dir(repo.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(stream.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    let mut ids = vec![String::new(); commits];
    for line in std::fs::read_to_string(&marks).unwrap().lines() {
        let (mark, id) = line.split_once(' ').unwrap();
        ids[mark[1..].parse::<usize>().unwrap() - 1] = id.to_string();
    }
    std::fs::remove_file(marks).unwrap();
    (ids, changes)
}

#[test]
fn history_of_a_thousand_paths_over_hundreds_of_commits_is_one_quick_walk() {
    let (files, commits) = (1_000, 300);
    let repo = Repo::new();
    let (ids, changes) = large_history(&repo, files, commits);
    let paths: Vec<String> = repo.git(&["ls-tree", "-r", "--name-only", "main"]).lines().map(String::from).collect();
    assert_eq!(paths.len(), files);

    let start = std::time::Instant::now();
    let found = tree_at(&repo, "main").history(&paths).unwrap();
    let elapsed = start.elapsed();
    eprintln!("history of {files} paths over {commits} commits: {elapsed:?}");

    // What it must be: each content once, named by the last commit before the file changed
    // again, the head's own content left out.
    for (i, path) in paths.iter().enumerate() {
        let index: usize = path[path.len() - 9..path.len() - 5].parse().unwrap();
        let events = &changes[index];
        let mut seen = vec![events.last().unwrap().1.clone()];
        let mut expected = Vec::new();
        for (e, (_, text)) in events.iter().enumerate().rev().skip(1) {
            if !seen.contains(text) {
                seen.push(text.clone());
                expected.push((ids[events[e + 1].0 - 1].clone(), text.clone()));
            }
        }
        let got: Vec<(String, String)> =
            found[path].iter().map(|v| (v.commit.clone(), String::from_utf8(v.bytes.clone()).unwrap())).collect();
        assert_eq!(got, expected, "{path} (#{i})");
    }
    assert!(found.values().any(|v| v.len() >= 3), "some paths have several earlier versions");
    // Generous, for a loaded debug build: a walk that read every tree of every commit, or every
    // blob, would still pass on a fast machine, but one per path per commit would not.
    assert!(elapsed < std::time::Duration::from_secs(10), "{elapsed:?}");
}
