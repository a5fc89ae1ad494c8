import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The bundle is committed and embedded in the Go binary, so the output must be
// byte-identical for identical sources: content hashes only, no timestamps.
export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    // The editor chunk carries the canvas and CodeMirror; it loads only on flow pages.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8080",
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
