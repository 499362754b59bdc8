"""The pure core: rules of the domain as plain functions and data classes, no Flask, no database."""
