// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @dev Evaluation fixture for the analyst: a "relayer registry" that can be destroyed (SELFDESTRUCT),
 * like the contract behind the Tornado Cash governance takeover. Not for deployment.
 */
contract EvalDestroyable {
    address public immutable deployer;
    uint256 public relayers;

    constructor() {
        deployer = msg.sender;
    }

    /// @notice Registers the DAO's relayers (the call a proposal would make).
    function registerRelayers(uint256 count) external {
        relayers += count;
    }

    /// @notice Removes the contract's code at creation time and sends its balance to the deployer.
    function retire() external {
        selfdestruct(payable(deployer));
    }
}
