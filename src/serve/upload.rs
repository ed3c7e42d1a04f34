//! Submissions: uploaded YAML files, a zip of a folder, or pasted text, each bounded in size and
//! count before anything is checked.

use std::io::Read;

use axum::extract::Multipart;

use crate::base::i18n::{Text, code};
use crate::tr;

/// Bounds on what one request may submit.
#[derive(Clone, Copy, Debug)]
pub struct UploadLimits {
    /// Largest project file, in bytes (the `check` limit).
    pub max_file_bytes: u64,
    /// Most files in one submission.
    pub max_files: usize,
    /// Most bytes in one submission, counting every file after decompression.
    pub max_total_bytes: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_file_bytes: crate::base::read::DEFAULT_MAX_BYTES,
            max_files: 200,
            max_total_bytes: 32 * 1024 * 1024,
        }
    }
}

/// One submitted file.
#[derive(Clone, Debug)]
pub struct Submitted {
    /// Its name as given (shown, never used as a path).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The fields of a multipart request: files (zips already unpacked) and text fields.
#[derive(Debug, Default)]
pub struct Fields {
    /// Files in the order given.
    pub files: Vec<Submitted>,
    /// Other fields in the order given.
    pub text: Vec<(String, String)>,
    /// Entries of zips named like project files but not taken ([`Unzipped::skipped`]).
    pub skipped: Vec<String>,
}

impl Fields {
    /// The first text field called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.text
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Tallies a submission against its limits.
#[derive(Clone, Copy)]
struct Budget {
    limits: UploadLimits,
    files: usize,
    bytes: u64,
    /// Whether a limit refused something (then the answer is 413, else 400).
    exceeded: bool,
}

/// A submission refused: why, whether for its size, and the page language if the form gave it
/// before the part that was refused.
#[derive(Debug)]
pub struct Refusal {
    /// Why.
    pub message: Text,
    /// Refused for a limit on size or count (413), not for what it is (400).
    pub too_large: bool,
    /// The `lang` field, when it came first.
    pub lang: Option<String>,
}

impl Refusal {
    /// The HTTP status that fits.
    pub fn status(&self) -> axum::http::StatusCode {
        if self.too_large {
            axum::http::StatusCode::PAYLOAD_TOO_LARGE
        } else {
            axum::http::StatusCode::BAD_REQUEST
        }
    }
}

impl Budget {
    fn take(&mut self, name: &str, size: u64) -> Result<(), Text> {
        let refused = self.take_within(name, size);
        self.exceeded |= refused.is_err();
        refused
    }

    fn take_within(&mut self, name: &str, size: u64) -> Result<(), Text> {
        let limits = self.limits;
        if size > limits.max_file_bytes {
            return Err(file_too_large(name, limits.max_file_bytes));
        }
        self.files += 1;
        if self.files > limits.max_files {
            let max = limits.max_files;
            return Err(with_remedy(
                tr!(
                    "一次最多提交 {max} 个文件",
                    "at most {max} files can be submitted at once"
                ),
                tr!(
                    "请分几次提交,每次不超过 {max} 个",
                    "submit them in several parts of at most {max} files"
                ),
            ));
        }
        self.bytes = self.bytes.saturating_add(size);
        if self.bytes > limits.max_total_bytes {
            let max = limits.max_total_bytes;
            return Err(with_remedy(
                tr!(
                    "提交的文件合计超过 {max} 字节的上限",
                    "the files submitted are larger than the limit of {max} bytes in all"
                ),
                split_the_submission(),
            ));
        }
        Ok(())
    }
}

/// A refusal for a limit, with what the official can do (`official`) and what the administrator
/// can: a page's reader passes no option, so, as every page remedy (`Remedy::text` on
/// `Medium::Page`), it names whom to ask.
fn with_remedy(refusal: Text, official: Text) -> Text {
    Text::new(
        format!(
            "{}:{};如确有需要,请运行本服务的管理员提高这一上限",
            refusal.zh, official.zh
        ),
        format!(
            "{}: {}; if the submission is genuine, ask the administrator who runs the server to raise the limit",
            refusal.en, official.en
        ),
    )
}

/// What an official can do about a submission over the total: send it in parts.
fn split_the_submission() -> Text {
    tr!(
        "请分几次提交,或只提交需要审查的项目文件",
        "submit the files in several parts, or only the project files to be reviewed"
    )
}

/// The refusal of a file over the per-file limit of `max` bytes.
fn file_too_large(name: &str, max: u64) -> Text {
    let name = code(name);
    with_remedy(
        tr!(
            "{name} 超过单个文件 {max} 字节的上限",
            "{name} is larger than the limit of {max} bytes a file"
        ),
        tr!(
            "请确认提交的是项目文件本身,并删去其中与审查无关的内容",
            "check that it is the project file itself and leave out what the review does not need"
        ),
    )
}

/// The refusal of a request body over the total of `max` bytes, as it arrives (also the guard's,
/// which reads bodies before their handler).
pub fn submission_too_large(max: u64) -> Text {
    with_remedy(
        tr!(
            "提交的内容超过了合计 {max} 字节的上限",
            "the submission is larger than the limit of {max} bytes in all"
        ),
        split_the_submission(),
    )
}

/// The multipart body of a request from one of the pages' forms, or the refusal of one that no
/// page sends (another content type, no boundary), in the language its `lang` field or query
/// asks for. The body was read, bounded, before the handler runs.
pub async fn multipart_of(request: axum::extract::Request) -> Result<Multipart, Refusal> {
    use axum::extract::FromRequest;
    let content_type = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut lang = super::query_value(request.uri().query(), "lang");
    if content_type.starts_with("multipart/form-data") {
        if let Ok(multipart) = Multipart::from_request(request, &()).await {
            return Ok(multipart);
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let body = axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        let field = super::form_urlencoded_pairs(&String::from_utf8_lossy(&body))
            .into_iter()
            .find(|(name, _)| name == "lang")
            .map(|(_, value)| value);
        lang = field.or(lang);
    }
    Err(not_the_form_s_format(lang))
}

/// The refusal of a request that no page's form sends, in `lang` (a `lang` field's value).
pub fn not_the_form_s_format(lang: Option<String>) -> Refusal {
    Refusal {
        message: tr!(
            "提交的内容不是本页表单发送的格式:请在页面上重新提交",
            "the submission is not in the format the page's form sends: submit it again from the page"
        ),
        too_large: false,
        lang,
    }
}

/// Reads a multipart request: `files` fields (YAML or zip), `yaml` (pasted text, named by
/// `yaml_name`), and any other text field.
pub async fn read_multipart(multipart: Multipart, limits: UploadLimits) -> Result<Fields, Refusal> {
    let mut budget = Budget {
        limits,
        files: 0,
        bytes: 0,
        exceeded: false,
    };
    let mut fields = Fields::default();
    read_fields(multipart, &mut budget, &mut fields)
        .await
        .map_err(|(message, too_large)| Refusal {
            message,
            too_large: too_large || budget.exceeded,
            lang: fields.get("lang").map(str::to_owned),
        })?;
    Ok(fields)
}

/// The fields into `fields`; a refusal with whether it was for size.
async fn read_fields(
    mut multipart: Multipart,
    budget: &mut Budget,
    fields: &mut Fields,
) -> Result<(), (Text, bool)> {
    let limits = budget.limits;
    let mut pasted: Option<String> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return Err(unreadable(&error)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        // A field is read only as far as it may go: a zip up to the total, anything else up to
        // the per-file limit (so many concurrent uploads cannot each hold the total in memory).
        let is_zip_name = file_name
            .as_deref()
            .is_some_and(|name| name.to_ascii_lowercase().ends_with(".zip"));
        let bound = if is_zip_name {
            limits.max_total_bytes
        } else if name == "b64" && file_name.is_none() {
            // A file carried back by a result page's form, in base64: 4 letters for 3 bytes.
            limits.max_file_bytes.div_ceil(3).saturating_mul(4)
        } else {
            limits.max_file_bytes
        };
        // Refused past its bound, as the limit that bound is: a zip by the total, a file by the
        // per-file limit.
        let over = if is_zip_name {
            submission_too_large(bound)
        } else {
            let shown = file_name.as_deref().map(shown_name).unwrap_or_default();
            if shown.is_empty() {
                let max = limits.max_file_bytes;
                with_remedy(
                    tr!(
                        "提交的内容超过单个文件 {max} 字节的上限",
                        "the submission is larger than the limit of {max} bytes a file"
                    ),
                    split_the_submission(),
                )
            } else {
                file_too_large(&shown, limits.max_file_bytes)
            }
        };
        let bytes = read_field(field, bound, over).await?;
        match (name.as_str(), file_name) {
            (_, Some(file_name)) => {
                if file_name.is_empty() && bytes.is_empty() {
                    // A file input left empty.
                    continue;
                }
                let file_name = shown_name(&file_name);
                if file_name.is_empty() {
                    // A browser names every file it sends; a part without one is not a file
                    // that a result could be reported against.
                    let size = bytes.len();
                    let name = code(&name);
                    return Err((
                        tr!(
                            "字段 {name} 中有一个 {size} 字节的文件没有文件名:请给文件命名后重新提交",
                            "a file of {size} bytes in the field {name} has no file name: name the file and submit it again"
                        ),
                        false,
                    ));
                }
                if is_zip(&file_name, &bytes) {
                    // Reading a zip's index and inflating it is CPU work: off the threads that
                    // answer requests, with the budget handed over and back.
                    let mut moved = *budget;
                    let (unzipped, moved) = tokio::task::spawn_blocking(move || {
                        let unzipped = unzip(&file_name, &bytes, &mut moved);
                        (unzipped, moved)
                    })
                    .await
                    .map_err(|_| (tr!("服务正在停止", "the server is stopping"), false))?;
                    *budget = moved;
                    let unzipped = unzipped.map_err(|message| (message, budget.exceeded))?;
                    fields.files.extend(unzipped.files);
                    fields.skipped.extend(unzipped.skipped);
                } else {
                    budget
                        .take(&file_name, bytes.len() as u64)
                        .map_err(|message| (message, true))?;
                    fields.files.push(Submitted {
                        name: file_name,
                        bytes,
                    });
                }
            }
            ("yaml", None) => pasted = Some(String::from_utf8_lossy(&bytes).into_owned()),
            (_, None) => fields
                .text
                .push((name, String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    if let Some(text) = pasted.filter(|text| !text.trim().is_empty()) {
        let name = fields
            .get("yaml_name")
            .map(shown_name)
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "pasted.yaml".to_owned());
        budget
            .take(&name, text.len() as u64)
            .map_err(|message| (message, true))?;
        fields.files.push(Submitted {
            name,
            bytes: text.into_bytes(),
        });
    }
    Ok(())
}

/// A multipart body that cannot be read, and whether that was for its size (axum's body limit).
fn unreadable(error: &axum::extract::multipart::MultipartError) -> (Text, bool) {
    let too_large = error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE;
    let error = error.body_text();
    (
        tr!(
            "无法读取提交的内容:请重新提交",
            "the submission cannot be read ({error}): send it again"
        ),
        too_large,
    )
}

/// Reads one field, refusing it with `over` past `max` bytes without reading further.
async fn read_field(
    mut field: axum::extract::multipart::Field<'_>,
    max: u64,
    over: Text,
) -> Result<Vec<u8>, (Text, bool)> {
    let mut bytes = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if (bytes.len() + chunk.len()) as u64 > max {
                    return Err((over, true));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(bytes),
            Err(error) => return Err(unreadable(&error)),
        }
    }
}

/// A file name as shown: the last part of what the browser sent, control characters dropped,
/// at most 200 characters.
pub fn shown_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    last.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// A name carried by a results page's form, as that page showed it: a zip entry keeps its
/// folder (`sub/a.yaml`). Only shown, never a path: control characters are dropped and it is
/// at most 300 characters, as a zip entry's name is.
pub fn carried_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (at, c) in name.char_indices() {
        if c.is_control() {
            continue;
        }
        // `\xff` is a byte that is not UTF-8 ([`raw_name`]), kept; any other `\` is a `/`.
        let escape = name
            .get(at + 1..at + 4)
            .and_then(|next| next.strip_prefix('x'))
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()));
        out.push(if c == '\\' && !escape { '/' } else { c });
    }
    out.chars().take(300).collect()
}

/// A zip entry's name said to be UTF-8 but not: each byte that is not written `\xNN`, as `check`
/// names such a file (hostile review 14 H13), rather than as `�` (two such names were shown
/// alike; hostile review 15).
fn raw_name(raw: &[u8]) -> String {
    let mut out = String::new();
    for chunk in raw.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    carried_name(&out)
}

fn is_zip(name: &str, bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || name.to_ascii_lowercase().ends_with(".zip")
}

/// What a zip gives: its project files, in name order, and the names of entries named like a
/// project file that are not taken (`x.yaml `, `x.yaml` + U+200B), which the page says.
#[derive(Debug, Default)]
pub struct Unzipped {
    /// The `*.yaml` and `*.yml` files.
    pub files: Vec<Submitted>,
    /// Entries that look like project files but are not taken, as carried names.
    pub skipped: Vec<String>,
}

/// The `*.yaml` and `*.yml` files of a zip, in name order. Entries are read through a bound
/// (a zip bomb's declared sizes are not trusted), names that would lead outside the folder are
/// refused, and other files are left out as `check` leaves them out of a directory (a name
/// that only looks like a project file's is given back, to be said). A zip whose entries an
/// unzip tool could make into fewer files than the zip crate reads is refused
/// ([`one_file_each`]).
pub fn unzip(
    zip_name: &str,
    bytes: &[u8],
    budget_limits: &mut impl ZipBudget,
) -> Result<Unzipped, Text> {
    let zip_name = &code(zip_name);
    // The zip crate reads the whole index before the first entry: its size is checked first.
    if too_many_entries(bytes) {
        return Err(tr!(
            "{zip_name} 含有超过 {MAX_ZIP_ENTRIES} 项(文件和文件夹):请只压缩项目文件所在的文件夹",
            "{zip_name} holds more than {MAX_ZIP_ENTRIES} entries (files and folders): zip only the folder of the project files"
        ));
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|error| {
        tr!(
            "{zip_name} 不是可读的 zip 文件:请重新压缩项目文件所在的文件夹后再上传",
            "{zip_name} is not a readable zip file ({error}): zip the folder of the project files again and upload that"
        )
    })?;
    one_file_each(zip_name, bytes, &archive)?;
    let mut unzipped = Unzipped::default();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|error| {
            tr!(
                "{zip_name} 的第 {index} 项无法读取:请重新压缩项目文件所在的文件夹后再上传",
                "entry {index} of {zip_name} cannot be read ({error}): zip the folder of the project files again and upload that"
            )
        })?;
        // The extension of the whole last part, before any shortening for display: a name of
        // 230 characters is legal on every file system (hostile review 9 R3).
        let last = entry
            .name()
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_owned();
        let full: String = entry
            .name()
            .chars()
            .filter(|c| !c.is_control())
            .take(300)
            .collect();
        let Some(path) = entry.enclosed_name() else {
            let full = code(&full);
            return Err(tr!(
                "{zip_name} 中的 {full} 指向文件夹之外",
                "{full} in {zip_name} points outside the folder"
            ));
        };
        if entry.is_dir() || entry.is_symlink() {
            continue;
        }
        // Named as an upload is: control characters (a line feed that would start a line of
        // the page with `::`) dropped, as the page's forms carry it (hostile review 9 R3).
        let shown = if std::str::from_utf8(entry.name_raw()).is_err()
            && entry.name().contains('\u{fffd}')
        {
            raw_name(entry.name_raw())
        } else {
            carried_name(&path.to_string_lossy())
        };
        if !crate::base::walk::is_project_file_name(&last) {
            // Said as the folder walk says it (hostile review 15 X3: `bad.yaml `, `bad.yaml.`
            // and `bad.yaml` + U+200B were left out without a word, and an unzip tool on
            // Windows makes the first two `bad.yaml`).
            if crate::base::walk::looks_like_project_file_name(&last) {
                unzipped.skipped.push(shown);
            }
            continue;
        }
        let limit = budget_limits.per_file();
        let mut content = Vec::new();
        (&mut entry)
            .take(limit.saturating_add(1))
            .read_to_end(&mut content)
            .map_err(|error| {
                let shown = code(&shown);
                tr!(
                    "{zip_name} 中的 {shown} 无法解压:请重新压缩项目文件所在的文件夹后再上传",
                    "{shown} in {zip_name} cannot be decompressed ({error}): zip the folder of the project files again and upload that"
                )
            })?;
        budget_limits.take_file(&shown, content.len() as u64)?;
        unzipped.files.push(Submitted {
            name: shown,
            bytes: content,
        });
    }
    unzipped.files.sort_by(|a, b| a.name.cmp(&b.name));
    unzipped.skipped.sort();
    if unzipped.files.is_empty() {
        return Err(match unzipped.skipped.first() {
            Some(skipped) => {
                let skipped = code(&crate::base::walk::shown_plainly(skipped));
                tr!(
                    "{zip_name} 中没有 `*.yaml` 或 `*.yml` 文件;{skipped} 看似项目文件,但扩展名中或其后有空白、句点、不可见字符或形似字母:请把它改名为以 `.yaml` 或 `.yml` 结尾(只用 ASCII 字母)后重新压缩",
                    "{zip_name} holds no `*.yaml` or `*.yml` files; {skipped} is named like one, but with blanks, dots, invisible characters or look-alike letters in or after the extension: rename it to end in `.yaml` or `.yml` (in ASCII letters) and zip the folder again"
                )
            }
            None => tr!(
                "{zip_name} 中没有 `*.yaml` 或 `*.yml` 文件",
                "{zip_name} holds no `*.yaml` or `*.yml` files"
            ),
        });
    }
    Ok(unzipped)
}

/// Entries (files and folders, YAML or not) a zip may hold: a folder of project files holds far
/// fewer, and reading a larger index takes seconds.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Refuses a zip two of whose entries would be one file: the zip crate keeps one entry of a
/// name, and an unzip tool keeps either, so a failing file could hide behind a passing one
/// (hostile review 14 H4). The names compared are the crate's own, decoded as it decodes them
/// (the UTF-8 flag, CP437, the Info-ZIP Unicode path field), and the index is the one the crate
/// found (after bytes before the zip, past an end record faked in a comment); a zip whose index
/// holds more entries than the crate gives names, or whose index cannot be followed, is refused
/// too (hostile review 15 X2: each of these hid a failing file). Names are then compared as an
/// unzip tool on the officials' machines makes them into files: `\` is `/`, `./` and empty parts
/// are nothing, `d/../a` is `a`, letters in any case are one (Windows and macOS; `ſ` is `s`),
/// dots and blanks ending a folder's name are nothing (`d./a` is `d/a` on Windows), and an accent
/// written as one character or two is one (NFC).
fn one_file_each(
    zip_name: &str,
    bytes: &[u8],
    archive: &zip::ZipArchive<std::io::Cursor<&[u8]>>,
) -> Result<(), Text> {
    let again = |why: Text| {
        let (zh, en) = (why.zh, why.en);
        tr!(
            "{zip_name} {zh}:解压工具可能保留其中任一项,无法确定检查的是哪一个;请重新压缩项目文件所在的文件夹后再上传",
            "{zip_name} {en}: an unzip tool may keep either, so which one would be checked is unclear; zip the folder of the project files again and upload that"
        )
    };
    let names = archive.len();
    let start = usize::try_from(archive.central_directory_start()).ok();
    let records = start.and_then(|start| central_records(bytes, start));
    if records.as_ref().map(Vec::len) != Some(names) {
        // Named when two records' names are the same bytes; otherwise (one name in CP437, its
        // twin in UTF-8 or the Unicode path field) counted.
        let mut raw = std::collections::HashSet::new();
        let twin = records
            .iter()
            .flatten()
            .find(|name| !raw.insert(**name))
            .map(|name| String::from_utf8_lossy(name));
        return Err(match (twin, records) {
            (Some(twin), _) => {
                let twin = code(&crate::base::walk::shown_plainly(&carried_name(&twin)));
                again(tr!(
                    "中有两项都名为 {twin}",
                    "holds two entries named {twin}"
                ))
            }
            (None, Some(records)) => {
                let records = records.len();
                again(tr!(
                    "的目录列出 {records} 项,其中有的项读出的名称相同(只有 {names} 个不同的名称)",
                    "lists {records} entries in its index, some of which read as the same name ({names} different in all)"
                ))
            }
            (None, None) => again(tr!(
                "的目录无法逐项读完,无法确认各项名称互不相同",
                "has an index that cannot be followed entry by entry, so its entries cannot be told apart"
            )),
        });
    }
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for index in 0..names {
        // Folders that unzip to one (`D/` and `d/`) hide nothing: their files are compared.
        let Some(name) = archive
            .name_for_index(index)
            .filter(|name| !name.ends_with(['/', '\\']))
        else {
            continue;
        };
        if let Some(first) = seen.insert(same_file_key(name), name) {
            // As written, `\` kept: the names differ in it.
            let shown = |name: &str| {
                let name: String = name.chars().filter(|c| !c.is_control()).take(300).collect();
                code(&crate::base::walk::shown_plainly(&name))
            };
            let (first, second) = (shown(first), shown(name));
            return Err(if first == second {
                again(tr!(
                    "中有两项都名为 {first}",
                    "holds two entries named {first}"
                ))
            } else {
                again(tr!(
                    "中的 {first} 和 {second} 解压后是同一个文件(名称只差大小写、`\\` 与 `/`、`.` 与 `..` 或多余的 `/`、或重音的写法)",
                    "holds {first} and {second}, which unzip to one file (the names differ only in case, in `\\` for `/`, in `.`, `..` or a doubled `/`, or in how an accent is written)"
                ))
            });
        }
    }
    Ok(())
}

/// What makes two entry names one file once unzipped (see [`one_file_each`]).
fn same_file_key(name: &str) -> String {
    let composed = icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(name);
    let mut parts: Vec<&str> = Vec::new();
    let steps: Vec<&str> = composed.split(['/', '\\']).collect();
    let last = steps.len().saturating_sub(1);
    for (at, part) in steps.into_iter().enumerate() {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            // Windows drops the dots (and an unzip tool the blanks) at the end of a folder's
            // name: `d./a.yaml` is `d/a.yaml` there (hostile review 16 Y2). A file's own name
            // so written is not taken at all (`looks_like_project_file_name`).
            part if at < last => {
                let trimmed = part.trim_end_matches(['.', ' ']);
                parts.push(if trimmed.is_empty() { part } else { trimmed });
            }
            part => parts.push(part),
        }
    }
    // Case as a case-insensitive file system folds it: each letter's uppercase, lowercased, so
    // that letters with one uppercase are one (`ſ` and `s`, `ς` and `σ`, the Kelvin sign and
    // `k`; hostile review 16 Y1), where lowercase alone kept `ſ.yaml` and `s.yaml` apart.
    let mut key = String::with_capacity(composed.len());
    for c in parts.join("/").chars() {
        let mut upper = c.to_uppercase();
        match (upper.next(), upper.next()) {
            (Some(one), None) => key.extend(one.to_lowercase()),
            _ => key.extend(c.to_lowercase()),
        }
    }
    key
}

/// The names (as bytes) of the central-directory records that follow one another from `start`,
/// each after the last, as the zip crate reads them; `None` when one is cut short or `start` is
/// outside the zip.
fn central_records(bytes: &[u8], start: usize) -> Option<Vec<&[u8]>> {
    const CENTRAL_HEADER: &[u8] = b"PK\x01\x02";
    let u16_at = |at: usize| -> Option<usize> {
        let b = bytes.get(at..at.checked_add(2)?)?;
        Some(usize::from(u16::from_le_bytes([*b.first()?, *b.get(1)?])))
    };
    if start > bytes.len() {
        return None;
    }
    let mut at = start;
    let mut names = Vec::new();
    // Bounded: `too_many_entries` counted the signatures, and each record moves past one.
    while bytes.get(at..at.checked_add(4)?) == Some(CENTRAL_HEADER) {
        let (name, extra, comment) = (u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?);
        let name_at = at.checked_add(46)?;
        names.push(bytes.get(name_at..name_at.checked_add(name)?)?);
        at = name_at.checked_add(name + extra + comment)?;
        if at > bytes.len() {
            return None;
        }
    }
    Some(names)
}

/// Whether a zip's index may hold more than [`MAX_ZIP_ENTRIES`] entries. Every entry the zip
/// crate reads from the index starts with the central header's signature, so counting the
/// signatures bounds the entries whatever the end records claim (zip64 or not).
fn too_many_entries(bytes: &[u8]) -> bool {
    const CENTRAL_HEADER: &[u8] = b"PK\x01\x02";
    bytes
        .windows(CENTRAL_HEADER.len())
        .filter(|window| *window == CENTRAL_HEADER)
        .nth(MAX_ZIP_ENTRIES)
        .is_some()
}

/// What unzipping takes from: the per-file bound, and a tally of files and bytes.
pub trait ZipBudget {
    /// Largest file.
    fn per_file(&self) -> u64;
    /// Counts a file of `size` bytes, refusing it past a limit.
    fn take_file(&mut self, name: &str, size: u64) -> Result<(), Text>;
}

impl ZipBudget for Budget {
    fn per_file(&self) -> u64 {
        self.limits.max_file_bytes
    }
    fn take_file(&mut self, name: &str, size: u64) -> Result<(), Text> {
        self.take(name, size)
    }
}

/// A budget outside a request.
#[cfg(test)]
pub fn budget(limits: UploadLimits) -> impl ZipBudget {
    Budget {
        limits,
        files: 0,
        bytes: 0,
        exceeded: false,
    }
}

/// The files carried in a form as `name` and `b64` fields (the result page's download and
/// language forms), held to the same limits as an upload.
pub fn files_from_form(
    fields: &[(String, String)],
    limits: UploadLimits,
) -> Result<Vec<Submitted>, Refusal> {
    let refuse = |message: Text, too_large: bool| Refusal {
        message,
        too_large,
        lang: None,
    };
    let names: Vec<&String> = fields
        .iter()
        .filter(|(key, _)| key == "name")
        .map(|(_, value)| value)
        .collect();
    let contents: Vec<&String> = fields
        .iter()
        .filter(|(key, _)| key == "b64")
        .map(|(_, value)| value)
        .collect();
    if names.len() != contents.len() {
        let (named, carried) = (names.len(), contents.len());
        return Err(refuse(
            tr!(
                "表单列出 {named} 个文件名,却带有 {carried} 个文件的内容:请重新上传文件",
                "the form names {named} files but carries the content of {carried}: upload the files again"
            ),
            false,
        ));
    }
    let mut budget = Budget {
        limits,
        files: 0,
        bytes: 0,
        exceeded: false,
    };
    let mut files = Vec::new();
    for (name, content) in names.into_iter().zip(contents) {
        let name = carried_name(name);
        // Decoded only once its length is known to fit: base64 is 4 letters for 3 bytes.
        let size = (content.len() as u64).div_ceil(4).saturating_mul(3);
        if size > limits.max_file_bytes.saturating_add(2) {
            budget
                .take(&name, size)
                .map_err(|message| refuse(message, true))?;
        }
        let Some(bytes) = base64_decode(content) else {
            let name = code(&name);
            return Err(refuse(
                tr!(
                    "表单中 {name} 的内容已损坏(不是 base64):请重新上传文件",
                    "the content of {name} in the form is damaged (not base64): upload the files again"
                ),
                false,
            ));
        };
        budget
            .take(&name, bytes.len() as u64)
            .map_err(|message| refuse(message, true))?;
        files.push(Submitted { name, bytes });
    }
    Ok(files)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 of `bytes`: submitted files travel in the result page's download forms this way, so
/// that nothing is kept on the server between the check and the download.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (position, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if position <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes of base64 `text`; `None` when it is not base64 (a letter outside the alphabet, a
/// length no encoding has, more than two `=`, or `=` where the length needs none).
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let padded = text.len();
    let text = text.trim_end_matches('=');
    let padding = padded - text.len();
    // Four letters carry three bytes; a last group of one letter carries none.
    if text.len() % 4 == 1 || padding > 2 || (padding > 0 && !padded.is_multiple_of(4)) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == byte)?;
        buffer = (buffer << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}
