"""How people meet xinwen: the Gradio chat page, the HTTP/OpenAI-compatible service, `xinwen serve`."""
