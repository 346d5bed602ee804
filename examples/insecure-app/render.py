"""HTML rendering for the notes app. DELIBERATELY INSECURE EXAMPLE."""

from jinja2 import Environment, FileSystemLoader

# planted: Jinja2 environment with autoescape disabled (cross-site scripting)
env = Environment(loader=FileSystemLoader("templates"), autoescape=False)


def render_note(note):
    return env.get_template("note.html").render(note=note)


def render_search(query, results):
    # planted: user input concatenated into a template source (template injection)
    template = env.from_string("<h1>Results for " + query + "</h1>{% for r in results %}<p>{{ r }}</p>{% endfor %}")
    return template.render(results=results)
