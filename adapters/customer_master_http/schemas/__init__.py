"""marshmallow schemas: the shape of the API's requests and responses, at the boundary
only. Request schemas check the rough shape (an object, known top-level keys) and pass
the data through: the core reads it and reports every problem at once with its path.
Response schemas describe the core's JSON-ready values (``to_data``) for the OpenAPI
document."""
