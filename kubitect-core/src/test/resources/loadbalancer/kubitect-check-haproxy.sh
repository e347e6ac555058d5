#!/bin/sh
# Managed by Kubitect for Java: succeeds while HAProxy accepts connections on the API port.
exec timeout 1 bash -c 'exec 3<>/dev/tcp/127.0.0.1/6443' 2>/dev/null
