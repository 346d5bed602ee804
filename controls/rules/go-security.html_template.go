// Test cases for go.text-template-html: html/template escapes, so nothing is reported here.
package web

import (
	"html/template"
	"net/http"
)

var page = template.Must(template.New("page").Parse(`<h1>{{.Title}}</h1>`))

func servePage(w http.ResponseWriter, r *http.Request) {
	// expect no finding (html/template escapes by context)
	page.Execute(w, map[string]string{"Title": r.FormValue("title")})
}
