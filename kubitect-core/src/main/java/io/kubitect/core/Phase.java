package io.kubitect.core;

/** The stages of an apply or destroy, in the order they run. */
public enum Phase {
  PLAN,
  PROVISION,
  LOAD_BALANCERS,
  KUBERNETES,
  KUBECONFIG,
  STATE,
  DESTROY
}
