//! The built-in packs and their test fixtures, embedded in the binary so that `yimi check` works
//! with no configuration and an installed `yimi` can test its packs and show examples.

/// The packs compiled into the binary: (file name under `rules/`, text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "jilin-2022.yimi",
        include_str!("../../rules/jilin-2022.yimi"),
    ),
    (
        "ruian-2022.yimi",
        include_str!("../../rules/ruian-2022.yimi"),
    ),
    (
        "shanghai-2023.yimi",
        include_str!("../../rules/shanghai-2023.yimi"),
    ),
    (
        "shangyu-2025.yimi",
        include_str!("../../rules/shangyu-2025.yimi"),
    ),
    (
        "yuzhong-2024.yimi",
        include_str!("../../rules/yuzhong-2024.yimi"),
    ),
];

mod fixtures {
    include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
}

/// The text of a built-in pack's test fixture, by its path relative to `rules/`.
pub fn builtin_fixture(path: &str) -> Option<&'static str> {
    let path = path.strip_prefix("./").unwrap_or(path);
    fixtures::FIXTURES
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(_, text)| *text)
}
