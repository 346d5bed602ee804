// Test cases for go.text-template-html: a module that imports text/template.
package report

import (
	"bytes"
	"net/http"
	"os"
	"text/template"
)

var page = template.Must(template.New("page").Parse(`<h1>{{.Title}}</h1>`))

func servePage(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.text-template-html
	page.Execute(w, map[string]string{"Title": r.FormValue("title")})
}

func writeReport(title string) error {
	var buf bytes.Buffer
	// text/template writing a file, an e-mail body or code is what it is for
	// ok: go.text-template-html
	if err := page.Execute(&buf, title); err != nil {
		return err
	}
	// ok: go.text-template-html
	return page.ExecuteTemplate(os.Stdout, "page", title)
}
