export { ERROR_CODES, ERROR_STATUS, type ErrorCode, statusOf } from './codes';
export { TongbanError, isTongbanError, type ErrorDetails } from './tongban-error';
export { toProblem, type Problem, PROBLEM_TYPE_BASE } from './problem';
