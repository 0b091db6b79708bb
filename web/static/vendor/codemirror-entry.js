// Bundled into web/static/vendor/codemirror.js: the paste page's editor (no CDN).
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { python } from "@codemirror/lang-python";
import { oneDark } from "@codemirror/theme-one-dark";
window.TruthEditor = { EditorView, EditorState, basicSetup, python, oneDark };
