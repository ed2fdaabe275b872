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
    assert_eq!(sides.head.read("api/link.yaml").unwrap(), None);
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
    let base = discover(sides.base.as_ref(), &config, None).unwrap();
    let head = discover(sides.head.as_ref(), &config, None).unwrap();
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
