// Loads the VS Code extension in editors/vscode as VS Code would — its own `activate`, with the
// real `vscode-languageclient` module — against a small stand-in for the `vscode` API (VS Code
// itself cannot be run here), and checks what the extension does with it: it spawns
// `$YIMI lsp`, passes the settings as initialization options, completes `initialize`, and the
// diagnostics and hover of `yimi lsp` reach the editor through the client.
//
//   node tests/vscode/activate.js EXTENSION_DIR YIMI PROJECT_FILE
//
// `vscode-languageclient` is found through NODE_PATH (scripts/test installs it). Prints
// "N passed, N failed" and exits 1 on any failure.
"use strict";
const assert = require("node:assert/strict");
const childProcess = require("node:child_process");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const [extensionDir, yimi, projectFile] = process.argv.slice(2);
const settings = { path: yimi, lang: "en", rules: [], sources: [] };

// Every child process the extension starts, with its arguments.
const spawned = [];
const spawn = childProcess.spawn;
childProcess.spawn = function (command, args, options) {
  spawned.push({ command, args });
  return spawn.call(this, command, args, options);
};

// ---------------------------------------------------------------- the stand-in for `vscode`

class Disposable {
  constructor(dispose) {
    this.dispose = dispose || (() => {});
  }
  static from(...items) {
    return new Disposable(() => items.forEach((item) => item && item.dispose && item.dispose()));
  }
}
class EventEmitter {
  constructor() {
    this.listeners = [];
    this.event = (listener) => {
      this.listeners.push(listener);
      return new Disposable(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      });
    };
  }
  fire(value) {
    this.listeners.forEach((listener) => listener(value));
  }
  dispose() {
    this.listeners = [];
  }
}
class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
}
class Range {
  constructor(start, end, endLine, endCharacter) {
    if (typeof start === "number") {
      this.start = new Position(start, end);
      this.end = new Position(endLine, endCharacter);
    } else {
      this.start = start;
      this.end = end;
    }
  }
}
class Uri {
  constructor(value) {
    this.value = value;
    this.scheme = value.split(":")[0];
    this.fsPath = value.replace(/^file:\/\//, "");
    this.path = this.fsPath;
  }
  static parse(value) {
    return new Uri(value);
  }
  static file(file) {
    return new Uri(`file://${file}`);
  }
  toString() {
    return this.value;
  }
  toJSON() {
    return this.value;
  }
}
class Diagnostic {
  constructor(range, message, severity) {
    this.range = range;
    this.message = message;
    this.severity = severity;
  }
}
class MarkdownString {
  constructor(value) {
    this.value = value || "";
  }
  appendMarkdown(value) {
    this.value += value;
    return this;
  }
}
class Hover {
  constructor(contents, range) {
    this.contents = Array.isArray(contents) ? contents : [contents];
    this.range = range;
  }
}
class CancellationTokenSource {
  constructor() {
    this.token = { isCancellationRequested: false, onCancellationRequested: () => new Disposable() };
  }
  cancel() {
    this.token.isCancellationRequested = true;
  }
  dispose() {}
}

/// The diagnostics the client hands to the editor, by document.
const published = new Map();
const diagnosticsArrived = new EventEmitter();

const outputLines = [];
const outputChannel = {
  name: "yimi",
  append: (text) => outputLines.push(text),
  appendLine: (text) => outputLines.push(text),
  replace: () => {},
  clear: () => {},
  show: () => {},
  hide: () => {},
  dispose: () => {},
};

/// Anything the test does not define: a callable that returns a disposable, whatever is asked of it.
function anything(name) {
  const target = function () {
    return new Disposable();
  };
  return new Proxy(target, {
    get(object, key) {
      if (key === "then") return undefined; // not a promise
      if (key === "dispose") return () => {};
      if (key === Symbol.toPrimitive) return () => name;
      if (typeof key === "symbol") return undefined;
      if (!(key in object)) object[key] = anything(`${name}.${key}`);
      return object[key];
    },
    apply() {
      return new Disposable();
    },
    construct() {
      return new Disposable();
    },
  });
}

function withFallback(object, name) {
  return new Proxy(object, {
    get(target, key) {
      if (key in target || typeof key === "symbol") return target[key];
      target[key] = anything(`${name}.${String(key)}`);
      return target[key];
    },
  });
}

const vscode = withFallback(
  {
    version: "1.95.0",
    env: withFallback({ appName: "yimi test host", language: "en" }, "env"),
    Disposable,
    EventEmitter,
    Position,
    Range,
    Uri,
    Diagnostic,
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
    MarkdownString,
    Hover,
    CancellationTokenSource,
    CancellationError: class CancellationError extends Error {},
    workspace: withFallback(
      {
        workspaceFolders: undefined,
        textDocuments: [],
        getConfiguration: (section) => ({
          get: (key, fallback) =>
            section === "yimi" && key in settings ? settings[key] : fallback,
          has: () => false,
          inspect: () => undefined,
          update: () => Promise.resolve(),
        }),
      },
      "workspace",
    ),
    window: withFallback(
      {
        activeTextEditor: undefined,
        visibleTextEditors: [],
        tabGroups: withFallback({ all: [] }, "tabGroups"),
        createOutputChannel: () => outputChannel,
      },
      "window",
    ),
    languages: withFallback(
      {
        match: () => 0,
        createDiagnosticCollection: (name) => ({
          name,
          set(uri, diagnostics) {
            published.set(String(uri), diagnostics || []);
            diagnosticsArrived.fire(String(uri));
          },
          delete(uri) {
            published.delete(String(uri));
          },
          clear() {
            published.clear();
          },
          forEach() {},
          get(uri) {
            return published.get(String(uri));
          },
          has(uri) {
            return published.has(String(uri));
          },
          dispose() {},
        }),
      },
      "languages",
    ),
  },
  "vscode",
);

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "vscode") return vscode;
  return load.call(this, request, parent, isMain);
};

// ---------------------------------------------------------------- the checks

const results = [];
async function check(name, body) {
  try {
    await body();
    results.push([name, null]);
  } catch (error) {
    results.push([name, error]);
  }
}

function within(promise, seconds, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, "package.json"), "utf8"));
  const extension = require(path.resolve(extensionDir, manifest.main));
  const context = { subscriptions: [], extensionPath: extensionDir };
  const started = extension.activate(context);
  const client = context.subscriptions.find((item) => item && item.initializeResult !== undefined || item && item.sendRequest);

  await check("activate spawns the configured yimi with the argument `lsp`", async () => {
    await within(Promise.resolve(started), 120, "initialize result");
    assert.equal(spawned.length, 1, JSON.stringify(spawned));
    assert.equal(spawned[0].command, yimi);
    assert.deepEqual(spawned[0].args, ["lsp"]);
  });

  await check("initialize completes with the server's capabilities", async () => {
    assert.ok(client, "the client is kept in the extension's subscriptions");
    const capabilities = client.initializeResult && client.initializeResult.capabilities;
    assert.ok(capabilities, "an initialize result");
    assert.ok(capabilities.hoverProvider, "hover");
    assert.ok(capabilities.completionProvider, "completion");
    assert.ok(capabilities.definitionProvider, "definition");
    assert.ok(capabilities.codeActionProvider, "code actions");
    assert.equal(client.initializeResult.serverInfo.name, "yimi");
  });

  const text = fs.readFileSync(projectFile, "utf8");
  const uri = `file://${path.resolve(projectFile)}`;
  await check("a project file's findings reach the editor as diagnostics", async () => {
    const arrived = new Promise((resolve) => {
      diagnosticsArrived.event((which) => {
        if (which === uri) resolve();
      });
    });
    await client.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "yaml", version: 1, text },
    });
    await within(arrived, 120, "diagnostics");
    const diagnostics = published.get(uri);
    assert.ok(diagnostics.length > 0, "some diagnostics");
    assert.ok(
      diagnostics.every((d) => d instanceof Diagnostic && d.range instanceof Range),
      "converted to the editor's types",
    );
    assert.ok(
      diagnostics.some((d) => /^[A-Z]+-\d+/.test(String(d.code && (d.code.value || d.code)))),
      `a rule's finding among ${JSON.stringify(diagnostics.map((d) => d.code))}`,
    );
  });

  await check("hover on a key explains it", async () => {
    const lines = text.split("\n");
    const line = lines.findIndex((l) => /^\s*kind:/.test(l));
    assert.ok(line >= 0, "the project states its kind");
    const hover = await client.sendRequest("textDocument/hover", {
      textDocument: { uri },
      position: { line, character: lines[line].indexOf("kind") + 1 },
    });
    assert.ok(hover && hover.contents, "a hover");
    // In English: the `yimi.lang` setting reached the server as an initialization option.
    assert.match(JSON.stringify(hover.contents), /The kind of project/);
  });

  await check("deactivate stops the server", async () => {
    await within(Promise.resolve(extension.deactivate()), 60, "stop");
    assert.equal(client.isRunning(), false);
  });

  let failed = 0;
  for (const [name, error] of results) {
    if (error) {
      failed += 1;
      console.log(`not ok - ${name}\n  ${String(error && error.stack || error).split("\n").join("\n  ")}`);
    } else {
      console.log(`ok - ${name}`);
    }
  }
  if (failed > 0 && outputLines.length > 0) {
    console.log(`the client's output channel:\n${outputLines.join("")}`);
  }
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
  console.log(`not ok - the harness\n  ${error && error.stack}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
