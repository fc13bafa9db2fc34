"""The built-in question bank, shipped inside the package as simulator.prompts."""
