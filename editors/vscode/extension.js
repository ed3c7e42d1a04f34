// Starts `yimi lsp` for rule packs (*.yimi), YAML and JSON files; the server checks only YAML
// files whose top level says `yimi: 1`, and in others only explains rule ids (baselines).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("yimi");
  const server = { command: config.get("path", "yimi"), args: ["lsp"] };
  client = new LanguageClient(
    "yimi",
    "yimi",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "yimi" },
        { scheme: "file", language: "yaml" },
        // Baselines (`--format json` reports): hover and definition on rule ids.
        { scheme: "file", language: "json" },
      ],
      initializationOptions: {
        lang: config.get("lang", "zh"),
        rules: config.get("rules", []),
        sources: config.get("sources", []),
      },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
