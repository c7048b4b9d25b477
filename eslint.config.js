// ESLint (flat config, `npm run lint`): the JavaScript and typescript-eslint recommended rules, minus the few
// that the code breaks on purpose, each with the reason.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** The runtime globals the plain .js/.mjs files use (Node 20 and browsers); TypeScript checks the .ts files' own. */
const runtimeGlobals = Object.fromEntries(
  ["console", "process", "URL", "performance", "WebAssembly", "TextDecoder", "TextEncoder", "setTimeout", "clearTimeout", "globalThis"].map(
    (name) => [name, "readonly"],
  ),
);

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "bench/build/",
      "web/dist/",
      "coverage/",
      "test-output/",
      "bench/results/",
      "src/core/kernels/*KernelWasm.ts",
      // AssemblyScript, not TypeScript: its `@inline` decorators on functions do not parse as TypeScript.
      "assembly/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: runtimeGlobals },
    rules: {
      // A leading underscore marks a parameter or binding that is there for its position only.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      // Hot loops give their variables a numeric initial value on purpose (V8 types a `let c = 0` as a small
      // integer from the start), even where every path assigns it again before reading it.
      "no-useless-assignment": "off",
      // Errors re-thrown under the public function's name (rocAuc wraps RocAucAccumulator.add) replace the
      // message on purpose; the internal original is not part of what the caller should see.
      "preserve-caught-error": "off",
    },
  },
  {
    files: ["test/**"],
    rules: {
      // The CLI tests read the commands' JSON output, whose shape is what they check.
      "@typescript-eslint/no-explicit-any": "off",
      // The CLI tests match ANSI escape sequences (ESC, \x1b) in terminal output.
      "no-control-regex": "off",
    },
  },
);
