// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @dev Test fixture for the analyst's target-code check: a contract whose behaviour is not fixed by
 * its own code (DELEGATECALL) and that can send away its balance (SELFDESTRUCT). Not for deployment.
 */
contract Destructible {
    address public immutable beneficiary;

    error DelegateFailed(bytes reason);

    constructor() {
        beneficiary = msg.sender;
    }

    receive() external payable {}

    /// @notice Runs `data` in this contract's context with the code of `implementation`.
    function run(address implementation, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory out) = implementation.delegatecall(data);
        if (!ok) revert DelegateFailed(out);
        return out;
    }

    /// @notice Sends the whole balance to the beneficiary (and, in the creating transaction, removes the code).
    function destroy() external {
        selfdestruct(payable(beneficiary));
    }
}
