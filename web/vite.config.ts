import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The explainer page: web/ is Vite's root; "xent" resolves to the library's sources, so the page always
// shows what the library in this checkout computes. Everything (charts, KaTeX and its fonts, the data) is
// bundled into web/dist: the page needs no network.
const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "./",
  resolve: {
    alias: { xent: fileURLToPath(new URL("../src/index.ts", import.meta.url)) },
  },
  server: { fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] } },
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
  preview: { port: 4173 },
});
