/** Injection tokens for the framework-free pieces the API shares. */
export const COMPONENT_REGISTRY = Symbol('ComponentRegistry');
export const EXECUTION_ENGINE = Symbol('ExecutionEngine');
