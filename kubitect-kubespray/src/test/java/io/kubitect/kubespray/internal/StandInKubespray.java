package io.kubitect.kubespray.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stand-in for a Kubespray release: a local git repository, tagged like a release, with the
 * playbooks the installer runs ({@code cluster.yml}, {@code scale.yml}, {@code remove-node.yml},
 * {@code upgrade-cluster.yml} and {@code playbooks/facts.yml}). They check the variables they
 * receive as Kubespray would use them and append a marker line to {@code
 * /etc/kubitect-standin/touched} on every host they work on: {@code <playbook> <role> <host it ran
 * for> <address of the machine it ran on>}. {@code cluster.yml} also writes {@code
 * /etc/kubernetes/admin.conf} on the first master as Kubespray does. Its ansible.cfg is as lax as
 * Kubespray's (host keys not checked), which the installer must override.
 */
final class StandInKubespray {
  private StandInKubespray() {}

  static final String MARKERS = "kubitect-standin/touched";

  /** Creates the repository in {@code dir} with one commit tagged {@code tag}. */
  static Path create(Path dir, String tag) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "ansible.cfg",
        """
        [defaults]
        host_key_checking = False
        gathering = smart
        [ssh_connection]
        pipelining = False
        ssh_args = -o ControlMaster=auto -o ControlPersist=30m -o UserKnownHostsFile=/dev/null
        """);
    files.put("requirements.txt", "ansible==9.13.0\n");
    files.put(
        "standin/marker.yml",
        """
        ---
        # One ssh round trip per host: the marker line and, for checked runs, the variables.
        - name: Leave a marker on the host
          ansible.builtin.shell: >-
            mkdir -p /etc/kubitect-standin &&
            printf '%s %s %s %s\\n' '{{ standin_playbook }}' '{{ standin_role | default("run") }}'
            '{{ inventory_hostname }}'
            "$(ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1)"
            >> /etc/kubitect-standin/touched &&
            if [ -n "$STANDIN_VARS" ]; then
            printf '%s\\n' "$STANDIN_VARS" > '/etc/kubitect-standin/{{ standin_playbook }}.vars.json'; fi
          environment:
            STANDIN_VARS: "{{ standin_received | default({}) | to_nice_json if standin_record | default(false) else '' }}"
          changed_when: true
        """);
    files.put(
        "standin/checks.yml",
        """
        ---
        - name: Check the variables Kubitect passes
          ansible.builtin.assert:
            quiet: true
            that:
              - kube_version is string
              - kube_version is match('^[0-9]+[.][0-9]+[.][0-9]+$')
              - kube_network_plugin in ['calico', 'cilium', 'flannel', 'kube-router']
              - dns_mode == 'coredns'
              - auto_renew_certificates is boolean
              - ip == ansible_host
              - access_ip == ansible_host
              - loadbalancer_apiserver is not defined or loadbalancer_apiserver.port == 6443
              - loadbalancer_apiserver is not defined or apiserver_loadbalancer_domain_name == loadbalancer_apiserver.address
              - groups['etcd'] == groups['kube_control_plane']
              - groups['kube_control_plane'] | length > 0
              - inventory_hostname in groups['kube_node'] + groups['kube_control_plane']
              - node_labels is not defined or node_labels is mapping
              - node_taints is not defined or (node_taints is sequence and node_taints is not string)
              - inventory_hostname not in groups['etcd'] or etcd_deployment_type == 'host'
              - deploy_container_engine | bool
        - name: Fail where the test asks for it
          ansible.builtin.fail:
            msg: "stand-in failure on {{ inventory_hostname }}"
          when: inventory_hostname == (standin_fail_on | default(''))
        - name: Sleep where the test asks for it
          ansible.builtin.command: "sleep {{ standin_sleep }}"
          when: standin_sleep is defined
        """);
    files.put(
        "standin/received.yml",
        """
        ---
        standin_received:
          kube_version: "{{ kube_version }}"
          kube_network_plugin: "{{ kube_network_plugin }}"
          ip: "{{ ip }}"
          node_labels: "{{ node_labels | default({}) }}"
          node_taints: "{{ node_taints | default([]) }}"
          loadbalancer_apiserver: "{{ loadbalancer_apiserver | default({}) }}"
          groups:
            kube_control_plane: "{{ groups['kube_control_plane'] }}"
            kube_node: "{{ groups['kube_node'] }}"
            etcd: "{{ groups['etcd'] }}"
        """);
    files.put(
        "cluster.yml",
        """
        ---
        - name: Install Kubernetes (stand-in of Kubespray's cluster.yml)
          hosts: k8s_cluster:etcd
          gather_facts: false
          vars_files:
            - standin/received.yml
          vars:
            standin_playbook: cluster.yml
            standin_record: true
          tasks:
            - name: Checks
              ansible.builtin.import_tasks: standin/checks.yml
            - name: Marker
              ansible.builtin.import_tasks: standin/marker.yml

        - name: Write the admin kubeconfig as Kubespray does
          hosts: kube_control_plane[0]
          gather_facts: false
          tasks:
            - name: Write /etc/kubernetes/admin.conf
              ansible.builtin.shell: >-
                umask 077 && mkdir -p /etc/kubernetes && cat > /etc/kubernetes/admin.conf
              args:
                stdin: |
                  apiVersion: v1
                  clusters:
                  - cluster:
                      certificate-authority-data: Y2x1c3Rlci5sb2NhbCBrdWJlcm5ldGVzLWFkbWluCg==
                      server: https://{{ ip }}:6443
                    name: cluster.local
                  contexts:
                  - context:
                      cluster: cluster.local
                      user: kubernetes-admin
                    name: kubernetes-admin@cluster.local
                  current-context: kubernetes-admin@cluster.local
                  kind: Config
                  preferences: {}
                  users:
                  - name: kubernetes-admin
                    user:
                      client-certificate-data: a3ViZXJuZXRlcy1hZG1pbkBjbHVzdGVyLmxvY2FsCg==
                      client-key-data: c2VjcmV0Cg==
        """);
    files.put(
        "upgrade-cluster.yml",
        """
        ---
        - name: Upgrade Kubernetes (stand-in of Kubespray's upgrade-cluster.yml)
          hosts: k8s_cluster:etcd
          gather_facts: false
          serial: 1
          vars_files:
            - standin/received.yml
          vars:
            standin_playbook: upgrade-cluster.yml
            standin_record: true
          tasks:
            - name: Checks
              ansible.builtin.import_tasks: standin/checks.yml
            - name: Marker
              ansible.builtin.import_tasks: standin/marker.yml
        """);
    files.put(
        "playbooks/facts.yml",
        """
        ---
        - name: Gather facts (stand-in of Kubespray's playbooks/facts.yml)
          hosts: k8s_cluster:etcd
          gather_facts: false
          vars:
            standin_playbook: facts.yml
          tasks:
            - name: Gather network facts
              ansible.builtin.setup:
                gather_subset: ['!all', '!min', 'network']
            - name: Marker
              ansible.builtin.import_tasks: ../standin/marker.yml
        """);
    files.put(
        "scale.yml",
        """
        ---
        - name: Join new nodes (stand-in of Kubespray's scale.yml)
          hosts: kube_node
          gather_facts: false
          vars:
            standin_playbook: scale.yml
          tasks:
            - name: Checks
              ansible.builtin.import_tasks: standin/checks.yml
            - name: The first master's facts come from the per-cluster cache
              ansible.builtin.assert:
                that:
                  - hostvars[groups['kube_control_plane'][0]].ansible_facts.all_ipv4_addresses is defined
                  - hostvars[groups['kube_control_plane'][0]].ip in hostvars[groups['kube_control_plane'][0]].ansible_facts.all_ipv4_addresses
            - name: Marker
              ansible.builtin.import_tasks: standin/marker.yml
            - name: Create a join token on the first control-plane node
              ansible.builtin.include_tasks:
                file: standin/marker.yml
                apply:
                  delegate_to: "{{ groups['kube_control_plane'][0] }}"
              vars:
                standin_role: delegated
        """);
    files.put(
        "remove-node.yml",
        """
        ---
        - name: Validate nodes for removal
          hosts: localhost
          gather_facts: false
          tasks:
            - name: One node per run, confirmation skipped
              ansible.builtin.assert:
                that:
                  - node is defined
                  - node | length > 0
                  - "',' not in node"
                  - skip_confirmation | bool

        - name: Reset node (stand-in of Kubespray's remove-node.yml)
          hosts: "{{ node | default('this_is_unreachable') }}"
          gather_facts: false
          vars:
            standin_playbook: remove-node.yml
          tasks:
            - name: Marker
              ansible.builtin.import_tasks: standin/marker.yml
            - name: Delete the node on the first control-plane node
              ansible.builtin.include_tasks:
                file: standin/marker.yml
                apply:
                  delegate_to: "{{ groups['kube_control_plane'][0] }}"
              vars:
                standin_role: delegated
        """);
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path target = dir.resolve(f.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, f.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(dir, "init", "--quiet", "--initial-branch=master");
    git(dir, "add", "-A");
    git(
        dir,
        "-c",
        "user.name=test",
        "-c",
        "user.email=test@example.invalid",
        "commit",
        "--quiet",
        "-m",
        "stand-in Kubespray");
    git(dir, "tag", tag);
    return dir;
  }

  private static void git(Path dir, String... args) {
    String[] command = new String[args.length + 3];
    command[0] = "git";
    command[1] = "-C";
    command[2] = dir.toString();
    System.arraycopy(args, 0, command, 3, args.length);
    NamespaceHosts.sh(command);
  }
}
