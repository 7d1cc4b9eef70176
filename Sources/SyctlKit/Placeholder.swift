enum PlaceholderSyctlKit {}
