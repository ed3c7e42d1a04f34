//! The language server, `yimi lsp`: the same checks as `yimi check` and `yimi rules lint`, given
//! to an editor as the user types, over the Language Server Protocol on standard input and
//! output (rust-analyzer's `lsp-server`: synchronous, one message at a time).
//!
//! Two kinds of document: project files (`*.yaml`/`*.yml` whose top level says `yimi: 1`) and
//! rule packs (`*.yimi`). Every request works from the text the editor sent, never from the file
//! on disk, and every document is checked with the limits `check` uses, so a hostile document
//! gets a diagnostic, not a crash. Built-in packs and source texts, which have no file of their
//! own, are written to a cache directory so that "go to definition" can open them
//! ([`definition::materialize`]).

mod actions;
mod analysis;
mod completion;
mod definition;
mod hover;
mod position;
mod settings;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, GotoDefinition, HoverRequest, Request as _,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, InitializeParams, OneOf,
    PublishDiagnosticsParams, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, Url,
};

use crate::engine::waivers::StatedWaiver;
use crate::rules::load::Loaded;
use analysis::{Analysis, Kind};
use settings::Settings;

/// Serves one client on standard input and output until it says `exit` or closes the stream.
///
/// The messages are framed here rather than by lsp-server's own stdio reader, which sized its
/// buffer by the `Content-Length` before reading a byte and read a header line without end
/// (hostile review 16 Y3: `Content-Length: 99999999999999` aborted the process, `u64::MAX`
/// panicked): a message is read as it arrives, up to [`MAX_MESSAGE_BYTES`].
pub fn serve_stdio() -> Result<(), String> {
    // An editor keeps the server for hours: freed pages go back to the system.
    crate::base::allocator::return_freed_pages();
    let (connection, client) = Connection::memory();
    let Connection {
        sender: incoming,
        receiver: outgoing,
    } = client;
    let writer = std::thread::Builder::new()
        .name("yimi-lsp-writer".to_owned())
        .spawn(move || -> std::io::Result<()> {
            let stdout = std::io::stdout();
            let mut stdout = stdout.lock();
            for message in outgoing {
                message.write(&mut stdout)?;
            }
            Ok(())
        })
        .map_err(|error| format!("cannot start the language server: {error}"))?;
    // Why the reader stopped, written before the server can see it stop: that is why the server
    // stopped. A reader still waiting on standard input (the server ended first) is not waited
    // for.
    let failure: Arc<std::sync::Mutex<Option<String>>> = Arc::default();
    let reader_failure = Arc::clone(&failure);
    std::thread::Builder::new()
        .name("yimi-lsp-reader".to_owned())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut stdin = stdin.lock();
            let read = read_messages(&mut stdin, |message| incoming.send(message).is_ok());
            if let (Err(error), Ok(mut slot)) = (read, reader_failure.lock()) {
                *slot = Some(error);
            }
            drop(incoming);
        })
        .map_err(|error| format!("cannot start the language server: {error}"))?;
    let served = serve(&connection);
    drop(connection);
    // Everything the server sent is written before the process ends.
    let written = match writer.join() {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(format!("the client went away: {error}")),
        Err(_) => Err("the connection failed".to_owned()),
    };
    if let Some(error) = failure.lock().ok().and_then(|mut slot| slot.take()) {
        return Err(error);
    }
    served.and(written)
}

/// The largest message a client may send, in bytes: a document of a project file or a pack at
/// its largest (8 MiB, or what `maxFileSize` allows) written as JSON is far less. A larger
/// `Content-Length` ends the session with a message, before anything is read into memory.
pub const MAX_MESSAGE_BYTES: u64 = 1 << 30;

/// The longest header line of a message (`Content-Length: 123`), in bytes.
const MAX_HEADER_LINE_BYTES: u64 = 4096;

/// Reads the client's messages from `input` and gives each to `deliver` (which says false once
/// the server no longer listens), until the input ends or the client says `exit`. Framing that
/// cannot be followed (a header line without its `\r\n` or past [`MAX_HEADER_LINE_BYTES`], no
/// `Content-Length`, one past [`MAX_MESSAGE_BYTES`], input ending inside a message) ends the
/// session with a message; a message that is not JSON-RPC is skipped, with a line on standard
/// error, since the next one is found all the same.
fn read_messages(
    input: &mut impl std::io::BufRead,
    mut deliver: impl FnMut(Message) -> bool,
) -> Result<(), String> {
    use std::io::{BufRead as _, Read as _};
    let hint = "start `yimi lsp` from an editor's language client, which speaks JSON-RPC with a `Content-Length` header";
    loop {
        let mut length: Option<u64> = None;
        let mut lines = 0;
        loop {
            let mut line = Vec::new();
            input
                .by_ref()
                .take(MAX_HEADER_LINE_BYTES)
                .read_until(b'\n', &mut line)
                .map_err(|error| format!("cannot read from the client: {error}"))?;
            if line.is_empty() {
                if lines == 0 {
                    return Ok(());
                }
                return Err(format!("the input ended inside a message's header; {hint}"));
            }
            lines += 1;
            let Some(line) = line.strip_suffix(b"\r\n") else {
                return Err(if line.len() as u64 >= MAX_HEADER_LINE_BYTES {
                    format!(
                        "the client sent a header line longer than {MAX_HEADER_LINE_BYTES} bytes; {hint}"
                    )
                } else {
                    format!("the client sent a header line that does not end with `\\r\\n`; {hint}")
                });
            };
            if line.is_empty() {
                break;
            }
            let line = String::from_utf8_lossy(line);
            let Some((name, value)) = line.split_once(':') else {
                return Err(format!(
                    "the client sent a header line that is not `name: value`; {hint}"
                ));
            };
            if name.trim().eq_ignore_ascii_case("Content-Length") {
                let shown = crate::report::escape::terminal_line(value.trim());
                let shown: String = shown.chars().take(40).collect();
                length = Some(value.trim().parse::<u64>().map_err(|_| {
                    format!("the client sent `Content-Length: {shown}`, which is not a number of bytes; {hint}")
                })?);
            }
        }
        let Some(length) = length else {
            return Err(format!(
                "the client sent a message without `Content-Length`; {hint}"
            ));
        };
        if length > MAX_MESSAGE_BYTES {
            return Err(format!(
                "the client sent `Content-Length: {length}`, more than the {MAX_MESSAGE_BYTES} bytes a message may hold; {hint}"
            ));
        }
        let mut body = Vec::new();
        input
            .by_ref()
            .take(length)
            .read_to_end(&mut body)
            .map_err(|error| format!("cannot read from the client: {error}"))?;
        if (body.len() as u64) < length {
            let read = body.len();
            return Err(format!(
                "the input ended inside a message ({read} of its {length} bytes); {hint}"
            ));
        }
        let message = match serde_json::from_slice::<Message>(&body) {
            Ok(message) => message,
            Err(error) => {
                // The editor's log; what serde quotes of the message is made one safe line.
                use std::io::Write as _;
                let error = error.to_string();
                let _ = writeln!(
                    std::io::stderr(),
                    "yimi lsp: a message that is not JSON-RPC was skipped ({})",
                    crate::report::escape::terminal_line(&error)
                );
                continue;
            }
        };
        let exit = matches!(&message, Message::Notification(notification) if notification.method == "exit");
        if !deliver(message) || exit {
            return Ok(());
        }
    }
}

/// Serves one client on a connection (standard input and output, or memory in tests).
pub fn serve(connection: &Connection) -> Result<(), String> {
    let result = lsp_types::InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "yimi".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    let result = serde_json::to_value(result)
        .map_err(|error| format!("cannot describe the server: {error}"))?;
    let (id, initialize) = connection
        .initialize_start()
        .map_err(|error| format!("the client did not initialize: {error}"))?;
    connection
        .initialize_finish(id, result)
        .map_err(|error| format!("the client did not initialize: {error}"))?;
    let params: Option<InitializeParams> = serde_json::from_value(initialize).ok();
    let mut server = Server::new(Settings::from_initialize(params.as_ref()));
    let mut following: Option<Message> = None;
    loop {
        let message = match following.take() {
            Some(message) => message,
            None => match connection.receiver.recv() {
                Ok(message) => message,
                Err(_) => break,
            },
        };
        // A change that the next message already replaces (full sync: each change carries the
        // whole text) is not checked: typing fast in a pack does not queue a check a keystroke.
        if is_change(&message)
            && let Ok(next) = connection.receiver.try_recv()
        {
            let replaced = same_document_changed(&message, &next);
            following = Some(next);
            if replaced {
                continue;
            }
        }
        let outgoing = match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|error| error.to_string())?
                {
                    return Ok(());
                }
                vec![Message::Response(server.request(request))]
            }
            Message::Notification(notification) => server.notification(notification),
            Message::Response(_) => Vec::new(),
        };
        for message in outgoing {
            connection
                .sender
                .send(message)
                .map_err(|error| format!("the client went away: {error}"))?;
        }
    }
    Ok(())
}

fn is_change(message: &Message) -> bool {
    matches!(message, Message::Notification(notification) if notification.method == DidChangeTextDocument::METHOD)
}

/// Whether `next` changes the same document as the change `message`.
fn same_document_changed(message: &Message, next: &Message) -> bool {
    let uri = |message: &Message| match message {
        Message::Notification(notification)
            if notification.method == DidChangeTextDocument::METHOD =>
        {
            notification.params["textDocument"]["uri"]
                .as_str()
                .map(str::to_owned)
        }
        _ => None,
    };
    matches!((uri(message), uri(next)), (Some(a), Some(b)) if a == b)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                [".", " ", "§", ":", "-"]
                    .iter()
                    .map(|c| (*c).to_owned())
                    .collect(),
            ),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// An open document: the editor's text and what was last made of it.
struct Document {
    text: String,
    version: Option<i32>,
    analysis: Analysis,
}

/// The server's state: settings, the rules project files are checked against, open documents.
struct Server {
    settings: Settings,
    /// The rules of `check`: the built-in packs plus the configured ones, or why they failed.
    rules: Result<Loaded, Vec<crate::base::diagnostic::Diagnostic>>,
    /// The configured waivers file's waivers (none when there is none, or the rules failed),
    /// or why it was refused.
    waivers: Result<Arc<Vec<StatedWaiver>>, Vec<crate::base::diagnostic::Diagnostic>>,
    documents: BTreeMap<Url, Document>,
    cache: definition::Cache,
}

impl Server {
    /// The open document at `uri`, for a request about a place in it; `None` when it holds more
    /// than its kind may ([`analysis::size_limit`]).
    fn readable(&self, uri: &Url) -> Option<&Document> {
        let document = self.documents.get(uri)?;
        let size = u64::try_from(document.text.len()).unwrap_or(u64::MAX);
        (size <= analysis::size_limit(self, document.analysis.kind)).then_some(document)
    }

    fn new(settings: Settings) -> Self {
        let rules = crate::rules::load::load(&settings.rule_options());
        let cache = definition::Cache::new(settings.cache_dir.clone());
        let waivers = load_waivers(&settings, &rules);
        Server {
            settings,
            rules,
            waivers,
            documents: BTreeMap::new(),
            cache,
        }
    }

    /// Answers a request; a panic (a bug, never expected) becomes an error response rather than
    /// the end of the editor's session.
    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let method = request.method.clone();
        match catch_unwind(AssertUnwindSafe(|| self.dispatch(request))) {
            Ok(Ok(result)) => Response::new_ok(id, result),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("yimi failed while answering `{method}`"),
            ),
        }
    }

    fn dispatch(&mut self, request: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        fn params<T: serde::de::DeserializeOwned>(
            request: Request,
        ) -> Result<T, (ErrorCode, String)> {
            serde_json::from_value(request.params).map_err(|error| {
                (
                    ErrorCode::InvalidParams,
                    format!("`{}`: {error}", request.method),
                )
            })
        }
        let json = |value: Result<serde_json::Value, serde_json::Error>| {
            value.map_err(|error| (ErrorCode::InternalError, error.to_string()))
        };
        match request.method.as_str() {
            HoverRequest::METHOD => {
                let params: lsp_types::HoverParams = params(request)?;
                json(serde_json::to_value(hover::hover(self, &params)))
            }
            Completion::METHOD => {
                let params: lsp_types::CompletionParams = params(request)?;
                json(serde_json::to_value(completion::complete(self, &params)))
            }
            GotoDefinition::METHOD => {
                let params: lsp_types::GotoDefinitionParams = params(request)?;
                json(serde_json::to_value(definition::definition(self, &params)))
            }
            CodeActionRequest::METHOD => {
                let params: lsp_types::CodeActionParams = params(request)?;
                json(serde_json::to_value(actions::code_actions(&params)))
            }
            method => Err((
                ErrorCode::MethodNotFound,
                format!("yimi does not answer `{method}`"),
            )),
        }
    }

    fn notification(&mut self, notification: Notification) -> Vec<Message> {
        let method = notification.method.clone();
        catch_unwind(AssertUnwindSafe(|| self.notify(notification))).unwrap_or_else(|_| {
            vec![log_message(&format!(
                "yimi failed while handling `{method}`"
            ))]
        })
    }

    fn notify(&mut self, notification: Notification) -> Vec<Message> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                let document = params.text_document;
                self.open(document.uri, document.text, Some(document.version))
            }
            DidChangeTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                // Full synchronisation: the last change holds the whole text.
                let Some(change) = params.content_changes.into_iter().last() else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                self.open(uri, change.text, Some(params.text_document.version))
            }
            DidSaveTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                self.saved(&params.text_document.uri)
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                self.documents.remove(&uri);
                vec![publish(uri, Vec::new(), None)]
            }
            _ => Vec::new(),
        }
    }

    /// Takes a document's new text, analyses it and publishes its diagnostics.
    fn open(&mut self, uri: Url, text: String, version: Option<i32>) -> Vec<Message> {
        let kind = Kind::of(&uri, &text);
        let mut analysis = analysis::analyse(self, &uri, &text, kind);
        // While a pack is being typed it rarely checks: completion and hover keep the names
        // (parameters, rule ids) of the last text that did.
        if analysis.set.is_none()
            && let Some(previous) = self.documents.remove(&uri)
            && previous.analysis.kind == kind
        {
            analysis.set = previous.analysis.set;
        }
        let diagnostics = analysis.diagnostics.clone();
        self.documents.insert(
            uri.clone(),
            Document {
                text,
                version,
                analysis,
            },
        );
        vec![publish(uri, diagnostics, version)]
    }

    /// A saved pack that `check` loads changes the rules, and a saved waivers file the waivers:
    /// reload them and check every open project file again.
    fn saved(&mut self, uri: &Url) -> Vec<Message> {
        let pack = self
            .documents
            .get(uri)
            .is_some_and(|document| document.analysis.kind == Kind::Pack)
            && self.settings.loads(uri);
        if !pack && !self.settings.is_waivers_file(uri) {
            return Vec::new();
        }
        if pack {
            self.rules = crate::rules::load::load(&self.settings.rule_options());
        }
        // Waivers name rules: read again with the rules, or on their own when saved.
        self.waivers = load_waivers(&self.settings, &self.rules);
        let projects: Vec<(Url, String, Option<i32>)> = self
            .documents
            .iter()
            .filter(|(_, document)| document.analysis.kind == Kind::Project)
            .map(|(uri, document)| (uri.clone(), document.text.clone(), document.version))
            .collect();
        let mut messages = Vec::new();
        for (uri, text, version) in projects {
            messages.extend(self.open(uri, text, version));
        }
        messages
    }

    /// The sources rules may cite: the built-in ones and the configured ones.
    fn corpus(&self) -> &crate::sources::corpus::Corpus {
        match self.loaded() {
            Some(loaded) => loaded.corpus(),
            None => crate::sources::corpus::Corpus::builtin(),
        }
    }

    /// The rules project files are checked against, if they loaded.
    fn loaded(&self) -> Option<&Loaded> {
        self.rules.as_ref().ok()
    }
}

/// The configured waivers file read as `check --waivers` reads it, within the file-size limit;
/// no waivers when none is configured or the rules did not load (there is nothing to check
/// then, and a waiver's rule could not be looked up). Its warnings (a waiver naming an unknown
/// rule) are left out: `check` gives them.
fn load_waivers(
    settings: &Settings,
    rules: &Result<Loaded, Vec<crate::base::diagnostic::Diagnostic>>,
) -> Result<Arc<Vec<StatedWaiver>>, Vec<crate::base::diagnostic::Diagnostic>> {
    match (&settings.waivers, rules) {
        (Some(path), Ok(loaded)) => {
            crate::engine::waivers::load(path, &loaded.set, settings.limits)
                .map(|(waivers, _)| Arc::new(waivers))
        }
        _ => Ok(Arc::default()),
    }
}

fn publish(uri: Url, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> Message {
    Message::Notification(Notification::new(
        PublishDiagnostics::METHOD.to_owned(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    ))
}

fn log_message(text: &str) -> Message {
    Message::Notification(Notification::new(
        lsp_types::notification::LogMessage::METHOD.to_owned(),
        lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message: text.to_owned(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use lsp_server::{Connection, Message, Notification, Request, RequestId};
    use serde_json::json;

    fn notification(method: &str, params: serde_json::Value) -> Message {
        Message::Notification(Notification::new(method.to_owned(), params))
    }

    fn change(version: i32, text: &str) -> Message {
        notification(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": "file:///p.yaml", "version": version },
                    "contentChanges": [{ "text": text }] }),
        )
    }

    /// Changes queued behind each other are checked once, at the last text; a change of another
    /// document, or anything else, is not skipped.
    #[test]
    fn queued_changes_of_a_document_are_checked_once() {
        let (server, client) = Connection::memory();
        let project = "yimi: 1\nproject: {id: P-1, kind: park, jurisdiction: CN/SH/Huangpu}\n";
        for message in [
            Message::Request(Request::new(
                RequestId::from(1),
                "initialize".to_owned(),
                json!({ "capabilities": {} }),
            )),
            notification("initialized", json!({})),
            notification(
                "textDocument/didOpen",
                json!({ "textDocument": { "uri": "file:///p.yaml", "languageId": "yaml",
                                          "version": 1, "text": project } }),
            ),
            change(2, "yimi: 1\nproject: [\n"),
            change(3, "yimi: 1\nproject: {\n"),
            change(4, project),
            Message::Request(Request::new(
                RequestId::from(2),
                "shutdown".to_owned(),
                serde_json::Value::Null,
            )),
            notification("exit", serde_json::Value::Null),
        ] {
            client.sender.send(message).unwrap();
        }
        super::serve(&server).unwrap();
        drop(server);
        let versions: Vec<i64> = client
            .receiver
            .try_iter()
            .filter_map(|message| match message {
                Message::Notification(published) => published.params["version"].as_i64(),
                _ => None,
            })
            .collect();
        assert_eq!(versions, [1, 4]);
    }

    #[test]
    fn only_changes_of_the_same_document_replace_each_other() {
        let other = notification(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": "file:///q.yaml", "version": 2 }, "contentChanges": [] }),
        );
        assert!(super::same_document_changed(
            &change(1, "a"),
            &change(2, "b")
        ));
        assert!(!super::same_document_changed(&change(1, "a"), &other));
        assert!(!super::same_document_changed(
            &change(1, "a"),
            &notification(
                "textDocument/didSave",
                json!({ "textDocument": { "uri": "file:///p.yaml" } })
            )
        ));
    }
}
