//! Synthetic project files for benchmarks and load tests (`cargo run --example gen`).
//!
//! Each file starts from one of the example projects (embedded at build time, so every kind of
//! section a real file has is present), moved to one of the five jurisdictions, sometimes of
//! another kind, with sizes perturbed, some facilities, participation or evidence dropped (so
//! some projects fail and some lack evidence) and the lists repeated to make larger files.
//!
//! Generation is deterministic: file `index` depends only on the seed, the index and the scale,
//! through a small inline PRNG (SplitMix64), never on the count or on the platform.

use serde_yaml::{Mapping, Number, Value};

/// The example projects the generated files start from.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "jl-changchun-kindergarten",
        include_str!("../../examples/jl-changchun-kindergarten.yaml"),
    ),
    (
        "jl-changchun-library",
        include_str!("../../examples/jl-changchun-library.yaml"),
    ),
    (
        "jl-changchun-residential",
        include_str!("../../examples/jl-changchun-residential.yaml"),
    ),
    (
        "jl-jilin-policy",
        include_str!("../../examples/jl-jilin-policy.yaml"),
    ),
    (
        "ra-anyang-plan",
        include_str!("../../examples/ra-anyang-plan.yaml"),
    ),
    (
        "ra-school-street",
        include_str!("../../examples/ra-school-street.yaml"),
    ),
    (
        "sh-huangpu-park",
        include_str!("../../examples/sh-huangpu-park.yaml"),
    ),
    (
        "sh-jingan-school-renovation",
        include_str!("../../examples/sh-jingan-school-renovation.yaml"),
    ),
    (
        "sh-minhang-pocket-park",
        include_str!("../../examples/sh-minhang-pocket-park.yaml"),
    ),
    (
        "sh-pudong-residential",
        include_str!("../../examples/sh-pudong-residential.yaml"),
    ),
    (
        "sh-xuhui-spatial-plan",
        include_str!("../../examples/sh-xuhui-spatial-plan.yaml"),
    ),
    (
        "sh-yangpu-primary-school",
        include_str!("../../examples/sh-yangpu-primary-school.yaml"),
    ),
    (
        "sh-yangpu-riverside-park",
        include_str!("../../examples/sh-yangpu-riverside-park.yaml"),
    ),
    (
        "sy-district-15th-plan",
        include_str!("../../examples/sy-district-15th-plan.yaml"),
    ),
    (
        "sy-riverside-public-space",
        include_str!("../../examples/sy-riverside-public-space.yaml"),
    ),
    (
        "yz-district-plan",
        include_str!("../../examples/yz-district-plan.yaml"),
    ),
    (
        "yz-emergency-shelter",
        include_str!("../../examples/yz-emergency-shelter.yaml"),
    ),
    (
        "yz-jiefangbei-commercial",
        include_str!("../../examples/yz-jiefangbei-commercial.yaml"),
    ),
    (
        "yz-qixinggang-renewal",
        include_str!("../../examples/yz-qixinggang-renewal.yaml"),
    ),
    ("yz-school", include_str!("../../examples/yz-school.yaml")),
    (
        "yz-shancheng-trail",
        include_str!("../../examples/yz-shancheng-trail.yaml"),
    ),
];

/// Jurisdictions generated files are placed in: every pack's, with several districts for the
/// province-level packs.
const JURISDICTIONS: &[&str] = &[
    "CN/SH/Pudong",
    "CN/SH/Huangpu",
    "CN/SH/Xuhui",
    "CN/SH/Yangpu",
    "CN/SH/Minhang",
    "CN/JL/Changchun",
    "CN/JL/Jilin",
    "CN/JL/Siping",
    "CN/CQ/Yuzhong",
    "CN/ZJ/Wenzhou/Ruian",
    "CN/ZJ/Shaoxing/Shangyu",
];

/// Kinds a template of one kind may be turned into: those the examples do not cover, so that
/// every kind of project appears.
const RELATED_KINDS: &[(&str, &[&str])] = &[
    ("kindergarten", &["childcare"]),
    ("school", &["kindergarten"]),
    (
        "public_venue",
        &["sports_venue", "community_centre", "welfare_institution"],
    ),
    (
        "commercial",
        &[
            "transport_hub",
            "hospital",
            "health_centre",
            "industrial_park",
        ],
    ),
    ("park", &["scenic_area"]),
];

/// Keys whose numbers are sizes or counts, scaled up or down per file.
fn is_size(key: &str) -> bool {
    key.ends_with("_m2")
        || key.ends_with("_m")
        || key.starts_with("age_")
        || matches!(
            key,
            "residents" | "households" | "students" | "places" | "beds" | "visitors"
        )
}

/// SplitMix64: tiny, fast, and good enough to vary test data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one stream.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// A factor in `[low, high)`.
    pub fn factor(&mut self, low: f64, high: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        low + (high - low) * unit
    }
}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// A file name (no directory), unique per index.
    pub name: String,
    /// The YAML text.
    pub text: String,
}

/// Generates file number `index` of the run with `seed`, its lists about `scale` times longer.
pub fn generate(seed: u64, index: usize, scale: usize) -> Generated {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0xd6e8_feb8_6659_fd93));
    let (template_name, template) = TEMPLATES[rng.below(TEMPLATES.len())];
    let mut doc: Value = serde_yaml::from_str(template).unwrap_or(Value::Null);
    let jurisdiction = JURISDICTIONS[rng.below(JURISDICTIONS.len())];
    let id = format!("GEN-{seed}-{index:06}");

    let mut kind = String::new();
    if let Some(project) = doc.get_mut("project").and_then(Value::as_mapping_mut) {
        project.insert("id".into(), id.clone().into());
        project.insert("jurisdiction".into(), jurisdiction.into());
        if let Some(current) = project.get("kind").and_then(Value::as_str) {
            kind = current.to_owned();
        }
        if let Some((_, others)) = RELATED_KINDS.iter().find(|(from, _)| *from == kind)
            && rng.chance(35)
        {
            kind = others[rng.below(others.len())].to_owned();
            project.insert("kind".into(), kind.clone().into());
        }
        // Some projects are decided before they were assessed: those rules fail.
        if rng.chance(10) {
            project.insert("major".into(), true.into());
        }
    }

    // A project moved to another jurisdiction is decided while that jurisdiction's plans are in
    // force: every built-in source was issued by 2025, so earlier files move forward in time.
    let decided = doc
        .get("project")
        .and_then(|project| project.get("decision_date"))
        .and_then(Value::as_str)
        .and_then(|date| date.get(..4))
        .and_then(|year| year.parse::<i64>().ok());
    if let Some(year) = decided
        && year < FIRST_YEAR_ALL_IN_FORCE
    {
        shift_years(&mut doc, FIRST_YEAR_ALL_IN_FORCE - year);
    }

    perturb(&mut doc, &mut rng);

    // Some projects lose a facility, a consultation or a piece of evidence.
    for (list, percent) in [("facilities", 15), ("participation", 15), ("evidence", 30)] {
        if let Some(items) = doc.get_mut(list).and_then(Value::as_sequence_mut)
            && !items.is_empty()
            && rng.chance(percent)
        {
            let drop = rng.below(items.len());
            items.remove(drop);
        }
    }
    // And some state no evidence at all.
    if rng.chance(8)
        && let Some(root) = doc.as_mapping_mut()
    {
        root.remove("evidence");
    }

    // Varied sizes: most files as the templates, some two or three times longer; then `scale`.
    let size = match rng.below(10) {
        0..=6 => 1,
        7 | 8 => 2,
        _ => 3,
    };
    repeat_lists(&mut doc, size * scale.max(1));

    let body = serde_yaml::to_string(&doc).unwrap_or_default();
    let text = format!(
        "# Generated by `yimi` examples/gen.rs: seed {seed}, file {index}, from {template_name}.\n{body}"
    );
    let place = jurisdiction
        .rsplit('/')
        .next()
        .unwrap_or("CN")
        .to_lowercase();
    Generated {
        name: format!("{index:06}-{place}-{kind}.yaml"),
        text,
    }
}

/// The first year in which every built-in source had been issued.
const FIRST_YEAR_ALL_IN_FORCE: i64 = 2025;

/// Moves every date (`YYYY-MM-DD`) and year (`year`, `start_year`, `horizon_year`) of a document
/// `years` later; 29 February becomes the 28th.
fn shift_years(value: &mut Value, years: i64) {
    match value {
        Value::String(text) => {
            let bytes = text.as_bytes();
            let is_date = bytes.len() == 10
                && bytes.get(4) == Some(&b'-')
                && bytes.get(7) == Some(&b'-')
                && text
                    .char_indices()
                    .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
            if let (true, Some(Ok(year)), Some(rest)) =
                (is_date, text.get(..4).map(str::parse::<i64>), text.get(4..))
            {
                let rest = if rest == "-02-29" { "-02-28" } else { rest };
                *text = format!("{}{rest}", year + years);
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|item| shift_years(item, years)),
        Value::Mapping(map) => {
            for (key, item) in map.iter_mut() {
                let is_year = matches!(key.as_str(), Some("year" | "start_year" | "horizon_year"));
                match item.as_i64() {
                    Some(year) if is_year => *item = (year + years).into(),
                    _ => shift_years(item, years),
                }
            }
        }
        _ => {}
    }
}

/// Scales every size or count by a factor for this file (integers stay integers).
fn perturb(value: &mut Value, rng: &mut Rng) {
    match value {
        Value::Mapping(mapping) => {
            for (key, value) in mapping.iter_mut() {
                let key = key.as_str().unwrap_or("");
                if is_size(key)
                    && let Value::Number(number) = value
                {
                    let factor = rng.factor(0.5, 1.6);
                    if let Some(n) = number.as_u64() {
                        *number = Number::from((n as f64 * factor).round() as u64);
                    } else if let Some(n) = number.as_f64()
                        && n >= 0.0
                    {
                        *number = Number::from((n * factor * 10.0).round() / 10.0);
                    }
                } else {
                    perturb(value, rng);
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|item| perturb(item, rng)),
        _ => {}
    }
}

/// Repeats the facilities, participation and evidence lists `times` over (facility ids made
/// unique); a file without facilities gets generic ones, so that every file grows.
fn repeat_lists(doc: &mut Value, times: usize) {
    if times <= 1 {
        return;
    }
    let Some(root) = doc.as_mapping_mut() else {
        return;
    };
    let has_facilities = root
        .get("facilities")
        .and_then(Value::as_sequence)
        .is_some_and(|items| !items.is_empty());
    if !has_facilities {
        root.insert("facilities".into(), Value::Sequence(generic_facilities()));
    }
    for list in ["facilities", "participation", "evidence"] {
        let Some(items) = root.get_mut(list).and_then(Value::as_sequence_mut) else {
            continue;
        };
        let original = items.clone();
        for copy in 1..times {
            for item in &original {
                let mut item = item.clone();
                if let Some(entry) = item.as_mapping_mut()
                    && let Some(id) = entry.get("id").and_then(Value::as_str)
                {
                    let id = format!("{id}-{copy}");
                    entry.insert("id".into(), id.into());
                }
                items.push(item);
            }
        }
    }
}

fn generic_facilities() -> Vec<Value> {
    let mut play = Mapping::new();
    play.insert("id".into(), "play".into());
    play.insert("kind".into(), "play_area".into());
    play.insert("area_m2".into(), 300.into());
    let mut toilet = Mapping::new();
    toilet.insert("id".into(), "toilet".into());
    toilet.insert("kind".into(), "family_toilet".into());
    vec![Value::Mapping(play), Value::Mapping(toilet)]
}
