# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_vaultjwt_global_optspecs
    string join \n data-dir= address= namespace= ca-cert= ca-path= client-cert= client-key= header= tls-server-name= tls-skip-verify= client-timeout= output-curl-string= wrap-ttl= h/help V/version
end

function __fish_vaultjwt_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd -o cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_vaultjwt_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_vaultjwt_using_subcommand
    set -l cmd -o cmd (__fish_vaultjwt_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -s V -l version -o version -d 'Print version'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "read" -d 'Read data at a path'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "write" -d 'Write data to a path (key=value, key=@file, key=-, or - for a JSON body on stdin)'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "list" -d 'List the keys at a path'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "delete" -d 'Delete data at a path'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "path-help" -d 'Print the help of a path: its parameters and what it does (Vault\'s path-help)'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "auth" -d 'Enable, disable and list auth methods'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "policy" -d 'Manage ACL policies (write, read, list, delete, fmt)'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "token" -d 'Create, look up, renew, revoke tokens and list their capabilities'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "lease" -d 'Look up, renew and revoke leases (database credentials)'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "login" -d 'Authenticate: store a token (or one from `-method=jwt`) in the token helper'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "jwt" -d 'Tokens themselves: decode, explain, keygen, sign'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "dev" -d 'Development tools: a loopback OIDC issuer'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "print" -d 'Print a value of the CLI\'s configuration: `print token`, the token requests are made with'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "pull" -d 'Copy a server\'s JWT mounts, configs, roles, the policies they name and external groups into the data directory'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "plan" -d 'Show what apply would change on the server to make it match the local state'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "apply" -d 'Make the server match the local state: policies, mounts, config, roles, groups'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "demo" -d 'The whole JWT login story in one command, in a throwaway data directory'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "secrets" -d 'Enable, disable and list secret engines'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "kv" -d 'Read and write secrets in a KV secret engine (versions 1 and 2)'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "status" -d 'The data directory\'s status, as `vault status` shows a dev server\'s'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "version" -d 'Print vaultjwt\'s version and the OpenBao release it answers as'
complete -c vaultjwt -n "__fish_vaultjwt_needs_command" -f -a "operator" -d 'Operator commands: a new root token for the owner of the data directory'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand read" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -s f -l force -o force -d 'Allow a write with no data'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand write" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand delete" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand path-help" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "enable" -d 'Enable an auth method (jwt or oidc)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "disable" -d 'Disable an auth method and remove its data'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "list" -d 'List enabled auth methods'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "tune" -d 'Tune an auth method\'s lease TTLs, description and token type'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "move" -d 'Move an auth method to a new path (auth/SOURCE auth/DESTINATION); its tokens are revoked'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l path -o path -d 'Mount path (default: the type)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l description -o description -d 'Human-readable description of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l default-lease-ttl -o default-lease-ttl -d 'Default lease TTL of tokens issued by this mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l max-lease-ttl -o max-lease-ttl -d 'Maximum lease TTL of tokens issued by this mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -l detailed -o detailed -d 'Show more details'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l default-lease-ttl -o default-lease-ttl -d 'Default lease TTL (a duration; "system" or -1 resets it)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l max-lease-ttl -o max-lease-ttl -d 'Maximum lease TTL (a duration; "system" or -1 resets it)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l description -o description -d 'Human-readable description of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l token-type -o token-type -d 'Type of the tokens the method issues (service, batch, default-service, ...)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from tune" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand auth; and __fish_seen_subcommand_from move" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -f -a "write" -d 'Upload a policy from a file, or from stdin with `-`'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -f -a "read" -d 'Print a policy\'s rules'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -f -a "list" -d 'List the policies'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -f -a "delete" -d 'Delete a policy'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and not __fish_seen_subcommand_from write read list delete fmt" -f -a "fmt" -d 'Check and reformat a policy file in place'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from write" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from read" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand policy; and __fish_seen_subcommand_from fmt" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand completion" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -f -a "create" -d 'Create a token'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -f -a "lookup" -d 'Show a token\'s properties (the current token when none is given)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -f -a "renew" -d 'Renew a token (the current token when none is given)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -f -a "revoke" -d 'Revoke a token and its children'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and not __fish_seen_subcommand_from create lookup renew revoke capabilities" -f -a "capabilities" -d 'List a token\'s capabilities on a path'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l policy -o policy -d 'A policy of the token (repeatable)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l ttl -o ttl -d 'Initial TTL' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l explicit-max-ttl -o explicit-max-ttl -d 'Explicit maximum lifetime' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l period -o period -d 'Renewal period (periodic token)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l use-limit -o use-limit -d 'Number of uses before the token is revoked (0 = unlimited)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l orphan -o orphan -d 'Create the token with no parent' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l no-default-policy -o no-default-policy -d 'Do not attach the default policy' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l type -o type -d 'service or batch' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l display-name -o display-name -d 'Display name (shown as token-<name>)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l metadata -o metadata -d 'Metadata key=value (repeatable)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l renewable -o renewable -d 'Whether the token can be renewed (default: true; -renewable=false)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l id -o id -d 'Custom token value (root only)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l role -o role -d 'Token role (not supported by vaultjwt)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l self -o self -d 'Look up the current token (the default; OpenBao has no such flag)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l accessor -o accessor -d 'Treat the argument as an accessor' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from lookup" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -s i -l increment -o increment -d 'Requested TTL from now' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l accessor -o accessor -d 'Treat the argument as an accessor' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from renew" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l accessor -o accessor -d 'Treat the argument as an accessor' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l self -o self -d 'Revoke the current token' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l mode -o mode -d 'orphan: keep the children (as orphans)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand token; and __fish_seen_subcommand_from capabilities" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -f -a "lookup" -d 'Look up a lease: its path, issue and expire times, TTL'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -f -a "renew" -d 'Renew a lease (its secret engine may cap the TTL)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and not __fish_seen_subcommand_from lookup renew revoke" -f -a "revoke" -d 'Revoke a lease (and its secret), or every lease under a prefix'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from lookup" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l increment -o increment -d 'Requested TTL of the lease' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from renew" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l prefix -o prefix -d 'Treat the ID as a prefix: revoke every lease under it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l force -o force -d 'Remove the leases even when revoking their secrets fails (needs -prefix)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l sync -o sync -d 'Wait for the revocation (vaultjwt always does)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand lease; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l path -o path -d 'Mount path of the auth method (default: the method name)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l no-store -o no-store -d 'Do not store the token in the token helper' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l token-only -o token-only -d 'Print only the token (implies -no-store)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l no-print -o no-print -d 'Print nothing on success' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l jwt -o jwt -d 'The JWT to log in with (implies -method=jwt); @FILE reads it from a file, - from stdin' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l role -o role -d 'The role to log in with (with -jwt)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -l method -o method -d 'Auth method: token (default) or jwt' -r -f -a "token\t''
jwt\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand login" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -f -a "decode" -d 'Print a token\'s header and claims (nothing is verified)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -f -a "keygen" -d 'Generate a signing key: private key PEM (0600), public key PEM and JWKS'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -f -a "sign" -d 'Sign a test token (claims from flags, a JSON file or a preset)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and not __fish_seen_subcommand_from decode keygen sign explain" -f -a "explain" -d 'Run every check login runs for a role and a token, and show what login would issue (creates nothing; exit 0 when login would succeed, 2 when it would fail)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -l format -o format -d 'Output format: table (default), json or yaml' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from decode" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l kid -o kid -d 'Key ID written to the JWKS (default: the key\'s RFC 7638 thumbprint)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l out -o out -d 'Output prefix: writes PREFIX.private.pem, PREFIX.public.pem and PREFIX.jwks.json (default: jwt-<alg>; a directory gets jwt-<alg> inside it)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l bits -o bits -d 'RSA modulus size in bits (2048 to 4096)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l force -o force -d 'Replace existing files' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -l alg -o alg -d 'RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA' -r -f -a "RS256\t''
RS384\t''
RS512\t''
ES256\t''
ES384\t''
ES512\t''
PS256\t''
PS384\t''
PS512\t''
EdDSA\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from keygen" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l key -o key -d 'Private key PEM to sign with: @FILE (or FILE, or - for stdin)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l issuer -o issuer -d 'Sign with the dev issuer\'s key (see `vaultjwt dev issuer`) and set `iss` to its URL' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l kid -o kid -d '`kid` header (default: the key\'s RFC 7638 thumbprint; -kid= for none)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l claim -o claim -d 'A claim, key=value (repeatable); the value is JSON when it parses, else a string; a key starting with / is a JSON pointer into nested claims' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l claims -o claims -d 'Claims from a JSON object: @FILE (or - for stdin)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l header -o header -d 'A header parameter, key=value (repeatable)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l exp -o exp -d 'Expiry: now, +DURATION, -DURATION, an epoch, RFC 3339, or none (default: +1h)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l iat -o iat -d 'Issued at (default: now)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l nbf -o nbf -d 'Not before (default: none, or the preset\'s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l alg -o alg -d 'Signing algorithm (default: RS256 for RSA keys, ES256/384/512 by curve, EdDSA)' -r -f -a "RS256\t''
RS384\t''
RS512\t''
ES256\t''
ES384\t''
ES512\t''
PS256\t''
PS384\t''
PS512\t''
EdDSA\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -l preset -o preset -d 'Start from a realistic claim set: github-actions, gitlab or kubernetes' -r -f -a "github-actions\t''
gitlab\t''
kubernetes\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from sign" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l path -o path -d 'Mount path of the jwt auth method' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand jwt; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and not __fish_seen_subcommand_from issuer" -f -a "issuer" -d 'Serve OIDC discovery and a JWKS on loopback from keys in the data directory'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l listen -o listen -d 'Loopback address to listen on (127.0.0.1:PORT, [::1]:PORT or PORT; port 0 picks a new one). Default: the address of the last start with this data directory, so that the issuer URL in auth/jwt/config stays valid; a free port the first time' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l client-id -o client-id -d 'OIDC client id the issuer accepts at its token endpoint' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l client-secret -o client-secret -d 'OIDC client secret (default: one generated and kept in the data directory)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand dev; and __fish_seen_subcommand_from issuer" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand print" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l path -o path -d 'Only this mount (repeatable; default: every jwt mount)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l home -o home -d 'Pull into this data directory instead (created when missing)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l force -o force -d 'Replace the JWT mounts, policies and groups the data directory already holds' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand pull" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l path -o path -d 'Only this mount (repeatable; default: every local jwt mount)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l prune -o prune -d 'Also delete what the server has and the local state does not' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand plan" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l path -o path -d 'Only this mount (repeatable; default: every local jwt mount)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l prune -o prune -d 'Also delete what the server has and the local state does not' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l auto-approve -o auto-approve -d 'Apply without asking for confirmation (needed when not on a terminal)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand apply" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l keep -o keep -d 'Keep the throwaway data directory' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l database -o database -d 'A PostgreSQL URL (postgresql://USER:PASSWORD@HOST:PORT/DB, a user that can create roles): adds the dynamic database credentials chapter' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand demo" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "enable" -d 'Enable a secret engine (kv, kv-v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "disable" -d 'Disable a secret engine and remove its data'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "list" -d 'List enabled secret engines'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "tune" -d 'Tune a secret engine\'s lease TTLs and description'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and not __fish_seen_subcommand_from enable disable list tune move" -f -a "move" -d 'Move a secret engine to a new path, with its data'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l path -o path -d 'Mount path (default: the type)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l description -o description -d 'Human-readable description of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l version -o version -d 'KV version (1 or 2); same as -options=version=N' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l default-lease-ttl -o default-lease-ttl -d 'Default lease TTL of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l max-lease-ttl -o max-lease-ttl -d 'Maximum lease TTL of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l options -o options -d 'Mount option key=value (repeatable)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -l detailed -o detailed -d 'Show more details'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l default-lease-ttl -o default-lease-ttl -d 'Default lease TTL (a duration; "system" or -1 resets it)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l max-lease-ttl -o max-lease-ttl -d 'Maximum lease TTL (a duration; "system" or -1 resets it)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l description -o description -d 'Human-readable description of the mount' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from tune" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand secrets; and __fish_seen_subcommand_from move" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "put" -d 'Write a secret (a new version on KV v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "get" -d 'Read a secret'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "patch" -d 'Update some keys of the latest version (KV v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "delete" -d 'Delete a secret (KV v2: soft-delete the latest version or -versions)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "undelete" -d 'Restore soft-deleted versions (KV v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "destroy" -d 'Permanently remove versions (KV v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "list" -d 'List the keys at a path'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and not __fish_seen_subcommand_from put get patch delete undelete destroy list metadata" -f -a "metadata" -d 'Read and write a key\'s metadata and settings (KV v2)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l mount -o mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l cas -o cas -d 'Check-and-set: the current version (0 = only if the key does not exist)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from put" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l mount -o mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l version -o version -d 'The version to read (KV v2)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l mount -o mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l cas -o cas -d 'Check-and-set: the current version' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l remove-data -o remove-data -d 'A key to remove (repeatable)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -l method -o method -d 'patch (HTTP PATCH only) or rw (read, then write)' -r -f -a "token\t''
jwt\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from patch" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l mount -o mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l versions -o versions -d 'Versions to delete (comma-separated or repeated)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l mount -o mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l versions -o versions -d 'Versions to restore (comma-separated or repeated)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from undelete" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l mount -o mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l versions -o versions -d 'Versions to destroy (comma-separated or repeated)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from destroy" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l mount -o mount -d 'Mount path of the KV engine; the argument is then the secret path below it' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -f -a "get" -d 'Show a key\'s metadata and versions'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -f -a "put" -d 'Create a key or change its settings'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -f -a "delete" -d 'Delete a key, all its versions and metadata'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand kv; and __fish_seen_subcommand_from metadata" -f -a "patch" -d 'Change some of a key\'s settings and custom metadata, keeping the rest'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand status" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand version" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -s h -l help -d 'Print help'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and not __fish_seen_subcommand_from generate-root" -f -a "generate-root" -d 'Make a new root token and store it as the current token (-local: from the data directory you own; vaultjwt has no unseal keys)'
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l field -o field -d 'Print only this field of the response' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l local -o local -d 'Make the root token from the local data directory (required)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l no-store -o no-store -d 'Do not store the token in the token helper' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l data-dir -o data-dir -d 'Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l address -o address -d 'Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l namespace -o namespace -d 'The namespace of the request (X-Vault-Namespace)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l ca-cert -o ca-cert -d 'A PEM file of CA certificates to verify the server with (replaces the system roots)' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l ca-path -o ca-path -d 'A directory of PEM CA certificates to verify the server with' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l client-cert -o client-cert -d 'A PEM client certificate for TLS authentication to the server' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l client-key -o client-key -d 'The PEM private key of -client-cert' -r -F
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l header -o header -d 'An HTTP header sent with every request to the server (repeatable; not X-Vault-*)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l tls-server-name -o tls-server-name -d 'The name to use as SNI and to verify the server\'s certificate with (default: the address\'s host)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l tls-skip-verify -o tls-skip-verify -d 'Do not verify the server\'s certificate (insecure)' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l client-timeout -o client-timeout -d 'How long a request to the server may take, e.g. 30s (default 60s)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l output-curl-string -o output-curl-string -d 'Print the curl command of the request instead of sending it' -r -f -a "true\t''
false\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l wrap-ttl -o wrap-ttl -d 'Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)' -r
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -l format -o format -d 'Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c vaultjwt -n "__fish_vaultjwt_using_subcommand operator; and __fish_seen_subcommand_from generate-root" -s h -l help -d 'Print help'
