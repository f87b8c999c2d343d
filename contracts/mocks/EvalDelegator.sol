// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @dev Evaluation fixture for the analyst: a "batch helper" whose calls run code from another address
 * with DELEGATECALL, so what it does is decided outside the proposal. Not for deployment.
 */
contract EvalDelegator {
    address public logic;

    error EvalDelegatorFailed(bytes reason);

    constructor(address logic_) {
        logic = logic_;
    }

    /// @notice Runs the configured logic in this contract's context.
    function executeBatch(bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory out) = logic.delegatecall(data);
        if (!ok) revert EvalDelegatorFailed(out);
        return out;
    }
}
