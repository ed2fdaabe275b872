use contractdiff::source::{range, Tree};
#[test]
fn perf() {
    let t = std::time::Instant::now();
    let sides = range::open(Some("HEAD~200..HEAD"), std::path::Path::new("/tmp/stripe")).unwrap();
    println!("open {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let files = sides.head.list().unwrap();
    println!("list {} {:?}", files.len(), t.elapsed());
    let t = std::time::Instant::now();
    let mut n = 0;
    for f in &files { n += sides.head.read(f).unwrap().unwrap().len(); }
    println!("read all {n} bytes {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let cfg = contractdiff::config::Config::default();
    let found = contractdiff::discover::discover(sides.head.as_ref(), &cfg, None).unwrap();
    let base = contractdiff::discover::discover(sides.base.as_ref(), &cfg, None).unwrap();
    let pairs = contractdiff::discover::pair(sides.base.as_ref(), &base, sides.head.as_ref(), &found).unwrap();
    println!("discover {} pairs {} {:?}", found.len(), pairs.len(), t.elapsed());
    let t = std::time::Instant::now();
    let wt = range::open(None, std::path::Path::new("/tmp/stripe")).unwrap();
    let l = wt.head.list().unwrap();
    println!("worktree list {} {:?}", l.len(), t.elapsed());
}
