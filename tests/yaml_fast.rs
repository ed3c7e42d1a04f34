//! The block-style YAML reader against saphyr's: on every YAML file of the repository, the
//! generator's files and mutations of both, the block-style reader either declines or gives
//! exactly saphyr's tree (every value, every span, the count of values). It never reports an
//! error itself, so where it takes a file saphyr's path must succeed too.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use yimi::base::diagnostic::SourceFile;
use yimi::project::generate::generate;
use yimi::project::yaml::{self, Limits};

const TIGHT: Limits = Limits {
    max_depth: 4,
    max_nodes: 64,
};

/// Whether the block-style reader took `text` (under either limits); panics where it differs
/// from saphyr's.
fn same(name: &str, text: &str) -> bool {
    let file: Arc<SourceFile> = SourceFile::new(name, text.to_owned());
    let mut taken = false;
    for limits in [Limits::default(), TIGHT] {
        let Some(fast) = yaml::parse_counted_fast(&file, limits) else {
            continue;
        };
        taken = true;
        let slow = yaml::parse_counted_saphyr(&file, limits);
        let slow = slow.unwrap_or_else(|error| {
            panic!(
                "{name}: the block-style reader took a file saphyr refuses ({}): {text:?}",
                error.message.en
            )
        });
        // Debug, not `==`: a `.nan` is not equal to itself.
        assert_eq!(
            format!("{:?}", fast.root),
            format!("{:?}", slow.root),
            "{name}: the trees differ for {text:?}"
        );
        assert_eq!(fast.values, slow.values, "{name}: the counts differ");
    }
    taken
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name == ".git" || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            out.push(path);
        }
    }
}

fn repository_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    yaml_files(root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let text = String::from_utf8(bytes).ok()?;
            Some((path.display().to_string(), text))
        })
        .collect()
}

#[test]
fn every_yaml_file_of_the_repository_reads_the_same() {
    let files = repository_files();
    assert!(files.len() > 100, "the repository's YAML files are found");
    let taken = files.iter().filter(|(name, text)| same(name, text)).count();
    eprintln!(
        "block-style reader: {taken} of {} repository files",
        files.len()
    );
    assert!(taken > 0);
}

#[test]
fn the_generator_s_files_read_the_same_and_are_taken() {
    for seed in [1, 2, 7] {
        for scale in [1, 3, 10] {
            let count = if scale == 1 { 60 } else { 8 };
            for index in 0..count {
                let file = generate(seed, index, scale);
                assert!(
                    same(&file.name, &file.text),
                    "seed {seed} scale {scale}: the block-style reader declined {}:\n{}",
                    file.name,
                    file.text
                );
            }
        }
    }
}

/// Tricky lines: each must read the same, whichever reader takes it.
#[test]
fn corner_cases_read_the_same() {
    let cases = [
        "a: 1\n",
        "a: 1",
        "a:\n",
        "a:",
        "a:\nb: 2\n",
        "a:\n  b:\n",
        "a:\n- 1\n- 2\nb: 3\n",
        "a:\n  - 1\n  - 2\n",
        "- a: 1\n  b:\n- c\n",
        "- a:\n  - x\n  b: 2\n",
        "- a:\n    - x\n",
        "-   a: 1\n    b: 2\n",
        "a: b # c\n",
        "a: b#c\n",
        "a: 'b' # c\n",
        "a: 'b'#c\n",
        "a: \"b\"\n",
        "a: \"b\\n\"\n",
        "a: 'it''s'\n",
        "'a b': 1\n\"c\": 2\n",
        "a : 1\n",
        "a:b: 1\n",
        "a::\n",
        "a: b: c\n",
        "a: b:\n",
        "a: -1\n",
        "a: -\n",
        "a: - b\n",
        "a: []\nb: {}\n",
        "a: [ ]\n",
        "a: [1]\n",
        "a: []x\n",
        "a: [] # c\n",
        "- []\n- {}\n",
        "a: b\n  c\n",
        "a: b\n  # c\nd: e\n",
        "a: b # c\n  # d\ne: f\n",
        "a: b\n# c\n  d\n",
        "a:\n# c\n  b: 1\n",
        "  a: 1\n  b: 2\n",
        "  a: 1\nb: 2\n",
        "a:\n  b: 1\n c: 2\n",
        "a: 1\n- b\n",
        "- a\nb: 1\n",
        "- - a\n",
        "-\n  a: 1\n",
        "- # c\n  a: 1\n",
        "--- \na: 1\n",
        "a: 1\n...\n",
        "---a: 1\n",
        "a: ---\n",
        "<<: 1\n",
        "'<<': 1\n",
        "a: 1\na: 2\n",
        "1: a\n2: b\n",
        "~: a\nnull: b\n",
        "true: 1\n",
        "a: ~\nb: null\nc: .nan\nd: .inf\ne: 0x1f\nf: 0o17\ng: 1e3\nh: 1_000\n",
        "a: 2025-01-01\n",
        "名称: 张江\n备注: 是 # 注释\n",
        "- 名称: 张江\n  面积: 85000\n",
        "a: 张江:是\n",
        "a: 张江 :是\n",
        "a: （注：括号）\n",
        "a: b\n\n\n",
        "# only a comment\n",
        "",
        "\n\n",
        "a\n",
        "a: b\tc\n",
        "a:\tb\n",
        "a: b\r\n",
        "a: \u{feff}b\n",
        "a: |\n  b\n",
        "a: >\n  b\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "? a\n: b\n",
        "a: %b\n",
        "a: @b\n",
        "a: `b\n",
        "a: b]\n",
        "a: b}\n",
        "a: ,b\n",
        "a: b,c\n",
        "a: b[c\n",
        "a: 'b\n",
        "a: 'b\n  c'\n",
        "a: \"b\n",
        "a:  \n  b: 1\n",
        "a:   # c\nb: 1\n",
        "a: 1   \nb: 2  \n",
        "x:\n  y:\n    z:\n      w:\n        v: 1\n",
        "x:\n  - y:\n    - z: 1\n",
        "x:\n- y\n-  z\n",
        "x:\n - y\n - z\n",
        "x:\n - y\n- z\n",
    ];
    let long = |key: &str, times: usize| format!("{}: 1\nb: 2\n", key.repeat(times));
    let many = |duplicate: bool| {
        let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        if duplicate {
            text.push_str("k7: again\n");
        }
        text
    };
    let nested = |depth: usize| {
        let mut text = String::new();
        for level in 0..depth {
            text.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
        }
        text.push_str(&format!("{}leaf: 1\n", "  ".repeat(depth)));
        text
    };
    let built = [
        long("k", 1024),
        long("k", 1025),
        long("张", 341),
        long("张", 342),
        many(false),
        many(true),
        nested(62),
        nested(63),
        nested(64),
        nested(70),
    ];
    let cases: Vec<&str> = cases
        .iter()
        .copied()
        .chain(built.iter().map(String::as_str))
        .collect();
    let mut taken = 0;
    for (i, case) in cases.iter().enumerate() {
        if same(&format!("case {i}"), case) {
            taken += 1;
        }
    }
    eprintln!(
        "block-style reader: {taken} of {} corner cases",
        cases.len()
    );
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that mean something to YAML, and text that does not.
const SIGNIFICANT: [&str; 31] = [
    ":", "-", "#", "'", "\"", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "\\", "`",
    " ", "\t", "\r", "\n", ",", "?", "  ", "- ", ": ", "\n  ", "张", "：", "\u{feff}",
];

/// `text` with one to three insertions, deletions or replacements at character boundaries.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(chars.len() + 1);
        let piece: Vec<char> = SIGNIFICANT[rng.below(SIGNIFICANT.len())].chars().collect();
        match rng.below(3) {
            0 => {
                chars.splice(at..at, piece);
            }
            1 if at < chars.len() => {
                let end = (at + 1 + rng.below(3)).min(chars.len());
                chars.drain(at..end);
            }
            _ if at < chars.len() => {
                chars.splice(at..at + 1, piece);
            }
            _ => chars.extend(piece),
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_files_read_the_same() {
    let mut bases: Vec<(String, String)> = repository_files()
        .into_iter()
        .filter(|(name, _)| name.contains("/examples/") || name.contains("/fixtures/"))
        .collect();
    bases.extend((0..12).map(|index| {
        let file = generate(3, index, 1);
        (file.name, file.text)
    }));
    let rounds: usize = std::env::var("YIMI_YAML_FAST_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut tried, mut taken) = (0, 0);
    for (name, text) in &bases {
        for round in 0..rounds {
            let mutated = mutate(text, &mut rng);
            tried += 1;
            if same(&format!("{name} mutation {round}"), &mutated) {
                taken += 1;
            }
        }
    }
    eprintln!("block-style reader: {taken} of {tried} mutations");
    assert!(
        taken * 10 > tried,
        "the mutations exercise the block-style reader"
    );
}
