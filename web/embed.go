// Package web holds the browser app's built files so the server binary can serve them.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built single-page app, rooted at the directory that holds index.html.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "dist" is a constant valid one.
		panic("web: open embedded dist: " + err.Error())
	}
	return sub
}
